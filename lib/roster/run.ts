import "server-only";
import type { Kysely } from "kysely";
import { config } from "@/lib/config";
import type { Database } from "@/lib/db/schema";
import { causeOfMailbox, shownCause } from "./causes";
import { checkRoster, type MailboxResult } from "./check";
import { parseRoster, type RosterFlag, type RosterLineError } from "./parse";
import { describeOutcome, type MailboxOutcome } from "./report";
import { rosterDomains, rosterSetup } from "./access";

export type RosterReport = {
  onboardingId: string;
  track: "ews" | "graph";
  counts: { total: number; reachable: number; failed: number; byCause: Record<string, number> };
  mailboxes: MailboxOutcome[];
  flagged: RosterFlag[];
  errors: RosterLineError[];
  duplicates: number;
  accessFailure?: { code: string; message: string };
  elapsedMs: number;
  roundTrips: number;
};

export type RosterRefusal = { ok: false; code: "not_found" | "no_verified_access" | "roster_refused"; message: string; lineErrors?: RosterLineError[] };

const MESSAGES = {
  not_found: "No such onboarding (or it was revoked).",
  no_verified_access: "The onboarding has no verified access yet: the roster is checked with the verified service account or app access.",
} as const;

/** Checks a list now, start to end, and returns the outcome per mailbox (the CLI). */
export async function checkRosterNow(db: Kysely<Database>, onboardingId: string, text: string, options: { signal?: AbortSignal } = {}): Promise<{ ok: true; report: RosterReport } | RosterRefusal> {
  const domains = await rosterDomains(db, onboardingId);
  if (!domains) return { ok: false, code: "not_found", message: MESSAGES.not_found };
  const parsed = parseRoster(text, { domains });
  if (!parsed.ok) return { ok: false, code: "roster_refused", message: parsed.message, lineErrors: parsed.errors };
  const s = await rosterSetup(db, onboardingId);
  if (!s.ok) return { ok: false, code: s.problem, message: MESSAGES[s.problem] };
  const { setup } = s;
  const results: MailboxResult[] = [];
  const summary = await checkRoster(setup.access, parsed.addresses, {
    concurrency: config().rosterConcurrency,
    mailboxDeadlineMs: config().rosterMailboxDeadlineMs,
    allowedHosts: setup.allowedHosts,
    extraCaPem: setup.extraCaPem,
    signal: options.signal,
    onResult: (r) => void results.push(r),
  });
  const byAddress = new Map(results.map((r) => [r.address.toLowerCase(), r]));
  const anyReachable = summary.reachable > 0;
  const now = new Date().toISOString();
  const mailboxes = parsed.addresses.map((address) => {
    const r = byAddress.get(address.toLowerCase());
    const cause = r && !r.reachable ? shownCause(causeOfMailbox(r.failure!, r.exchanges ?? [], setup.track, setup.guidanceTrack), anyReachable) : null;
    return describeOutcome(
      { address, reachable: r ? r.reachable : summary.accessFailure ? false : null, cause: r ? cause : summary.accessFailure ? "unknown" : null, failureCode: r?.failure?.code ?? summary.accessFailure?.code ?? null, serverCode: r?.failure?.server?.code ?? null, checkedAt: r ? now : null },
      setup.track,
      setup.guidanceTrack,
    );
  });
  const byCause: Record<string, number> = {};
  for (const m of mailboxes) if (m.cause) byCause[m.cause] = (byCause[m.cause] ?? 0) + 1;
  return {
    ok: true,
    report: {
      onboardingId,
      track: setup.track,
      counts: { total: mailboxes.length, reachable: summary.reachable, failed: mailboxes.filter((m) => m.outcome === "failed").length, byCause },
      mailboxes,
      flagged: parsed.flagged,
      errors: parsed.errors,
      duplicates: parsed.duplicates,
      ...(summary.accessFailure ? { accessFailure: { code: summary.accessFailure.code, message: summary.accessFailure.message } } : {}),
      elapsedMs: summary.elapsedMs,
      roundTrips: summary.roundTrips,
    },
  };
}
