import Link from "next/link";
import type { ActionState } from "@/lib/actions/state";
import { SUPPORT_EMAIL } from "@/lib/site";
import { FreshLinkForm } from "./fresh-link-form";

const MESSAGES: Record<string, { title: string; body: string }> = {
  expired: {
    title: "This link has expired",
    body: "Links to a brokerage workspace last 30 days. Your progress is safe: ask your MoxiWorks contact to extend the link or send a new one.",
  },
  revoked: {
    title: "This link is no longer active",
    body: "It was turned off by MoxiWorks or by your brokerage's administrator. If you still need access, ask them for a new link.",
  },
  unknown: {
    title: "We don't recognise this link",
    body: "It may have been copied incompletely. Open it again from the original email, or ask your MoxiWorks contact for a new one.",
  },
  busy: {
    title: "Too many attempts",
    body: "Please wait a minute, then open the link again.",
  },
  "no-session": {
    title: "Open your workspace from its link",
    body: "Your brokerage's workspace opens from the private link MoxiWorks emailed you (or that your brokerage shared with you). Your session may have ended, or this is another browser than the one you opened the link in: open the link again, or get a fresh one below.",
  },
};

/** Where a fresh link by email is offered: the brokerage can help itself; a revoked link or a burst waits. */
const FRESH_LINK_REASONS = new Set(["no-session", "expired", "unknown"]);

/** A clear page, not an error, for a link that cannot be used — with a way back and who to contact. */
export function LinkProblem({ reason, freshLinkAction }: { reason: string; freshLinkAction?: (s: ActionState, f: FormData) => Promise<ActionState> }) {
  const m = MESSAGES[reason] ?? MESSAGES.unknown!;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{m.title}</h1>
      <p className="text-lg">{m.body}</p>
      {freshLinkAction && FRESH_LINK_REASONS.has(reason) && <FreshLinkForm action={freshLinkAction} />}
      <p>
        Contact MoxiWorks onboarding at <a href={`mailto:${SUPPORT_EMAIL}`}>{SUPPORT_EMAIL}</a>. Email vendors: contact the
        brokerage that sent you the link.
      </p>
      <p>Meanwhile the <Link href="/guide">public setup guide</Link> is open to everyone.</p>
    </div>
  );
}
