import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import type { FailureCode } from "@/lib/exchange/failures";
import { causeText, type RosterCause } from "./causes";

/** One mailbox's outcome as staff, the CLI and the CSV see it (no secrets, no server bodies). */
export type MailboxOutcome = {
  address: string;
  outcome: "reachable" | "failed" | "pending";
  cause: RosterCause | null;
  title: string | null;
  guideStep: string | null;
  failureCode: FailureCode | null;
  serverCode: string | null;
  checkedAt: string | null;
};

export function describeOutcome(
  row: { address: string; reachable: boolean | null; cause: RosterCause | null; failureCode: FailureCode | null; serverCode: string | null; checkedAt: string | null },
  track: "ews" | "graph",
  guidanceTrack: GuidanceTrack,
): MailboxOutcome {
  if (row.reachable === null) return { address: row.address, outcome: "pending", cause: null, title: null, guideStep: null, failureCode: null, serverCode: null, checkedAt: null };
  if (row.reachable) return { address: row.address, outcome: "reachable", cause: null, title: null, guideStep: null, failureCode: null, serverCode: null, checkedAt: row.checkedAt };
  const text = causeText(row.cause ?? "unknown", track, guidanceTrack);
  return { address: row.address, outcome: "failed", cause: row.cause ?? "unknown", title: text.title, guideStep: text.guideStep, failureCode: row.failureCode, serverCode: row.serverCode, checkedAt: row.checkedAt };
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function cell(v: string | null): string {
  const s = v ?? "";
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function outcomesCsv(rows: MailboxOutcome[], origin = ""): string {
  const lines = ["address,outcome,cause,what it means,guide step,checked at"];
  for (const r of rows) lines.push([r.address, r.outcome, r.cause, r.title, r.guideStep ? `${origin}${r.guideStep}` : null, r.checkedAt].map(cell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
