import type { Metadata } from "next";
import { connection } from "next/server";
import { GuidePage } from "@/components/guide/guide-page";
import { config } from "@/lib/config";
import { APP_ACCESS_TRACK, GUIDE_TRACK_LABELS } from "@/lib/guide/ids";

// Rendered per request, not at build time: the commands carry MoxiWorks's app id from this server's settings.
export const metadata: Metadata = { title: `Setup guide: ${GUIDE_TRACK_LABELS[APP_ACCESS_TRACK]}` };

export default async function AppAccessGuidePage() {
  await connection();
  return <GuidePage track={APP_ACCESS_TRACK} appId={config().microsoftApp?.clientId} />;
}
