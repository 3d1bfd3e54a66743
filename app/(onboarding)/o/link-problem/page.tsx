import type { Metadata } from "next";
import { LinkProblem } from "@/components/workspace/link-problem";
import { requestFreshLinkAction } from "../fresh-link-actions";

export const metadata: Metadata = { title: "Link problem" };

export default async function LinkProblemPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return <LinkProblem reason={reason ?? "unknown"} freshLinkAction={requestFreshLinkAction} />;
}
