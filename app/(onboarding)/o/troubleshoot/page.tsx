import Link from "next/link";
import type { Metadata } from "next";
import { PasteLog } from "@/components/diagnosis/paste-log";
import { LinkProblem } from "@/components/workspace/link-problem";
import { currentLinkSession } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { parseTrack } from "@/lib/guide/ids";
import { getOnboarding } from "@/lib/onboarding/store";
import { requestFreshLinkAction } from "../fresh-link-actions";

export const metadata: Metadata = { title: "Explain a test log", robots: { index: false } };

export default async function WorkspaceTroubleshootPage() {
  const visitor = await currentLinkSession();
  if (!visitor) return <LinkProblem reason="no-session" freshLinkAction={requestFreshLinkAction} />;
  const onboarding = await getOnboarding(await db(), visitor.onboardingId);
  const track = parseTrack(onboarding?.track) ?? undefined;
  return (
    <div className="space-y-6">
      <p><Link href="/o">← Back to the workspace</Link></p>
      <h1 className="text-3xl font-bold">Explain a Remote Connectivity Analyzer log</h1>
      <p className="max-w-3xl">Paste the log of a test you ran yourself. It is read in your browser and not stored.</p>
      <PasteLog defaultTrack={track} />
    </div>
  );
}
