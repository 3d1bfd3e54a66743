import type { RecordedExchange } from "./http-client";
import type { ProbeStep } from "./steps";

/**
 * Renders the steps as plain text in the Remote Connectivity Analyzer's layout ("Attempting to …",
 * "Additional Details", "HTTP Response Headers:", "Elapsed Time: N ms."), so the diagnosis engine reads
 * our log and a pasted RCA log the same way.
 */
const MAX_BODY_IN_LOG = 1024;

function renderExchange(x: RecordedExchange): string[] {
  const lines = [`${x.method} ${x.url}${x.remoteAddress ? ` (${x.remoteAddress})` : ""}`];
  // Which scheme signed in and why (the Authorization header itself is never recorded).
  if (x.auth) lines.push(`Authentication: ${x.auth.note}`);
  if (x.status !== undefined) {
    lines.push(`An HTTP ${x.status}${x.statusText ? ` ${x.statusText}` : ""} response was received from the remote server.`);
  }
  if (x.failure) lines.push(x.failure.message);
  if (x.tls) lines.push(`TLS: ${x.tls.protocol ?? "unknown protocol"}, certificate ${x.tls.verified ? "verified" : "not verified"}.`);
  if (x.responseHeaders?.length) {
    lines.push("HTTP Response Headers:");
    for (const [name, value] of x.responseHeaders) lines.push(`${name}: ${value}`);
  }
  const showBody = x.bodyExcerpt && (x.status === undefined || x.status >= 300 || x.failure);
  if (showBody) {
    lines.push(`Response Body (${x.bodyBytes} bytes${x.truncated ? ", stopped at the size limit" : ""}):`);
    lines.push(x.bodyExcerpt!.slice(0, MAX_BODY_IN_LOG) + (x.bodyExcerpt!.length > MAX_BODY_IN_LOG ? " …" : ""));
  }
  lines.push(`Elapsed Time: ${x.timings.totalMs} ms.`);
  return lines;
}

const VERDICT: Record<ProbeStep["status"], string> = {
  passed: "The test passed",
  failed: "The test failed",
  warning: "The test passed with warnings",
  skipped: "The test was skipped",
  running: "The test is running",
};

export function renderStep(step: ProbeStep): string {
  const lines = [step.title];
  lines.push(step.result ? `${VERDICT[step.status]}: ${step.result}` : `${VERDICT[step.status]}.`);
  const extra = [...step.details];
  const exchanges = step.http ?? [];
  if (extra.length || exchanges.length) {
    lines.push("", "Additional Details");
    lines.push(...extra);
    for (const x of exchanges) lines.push("", ...renderExchange(x));
  }
  lines.push("", `Elapsed Time: ${step.elapsedMs} ms.`);
  return lines.join("\n");
}

export type LogHeading = {
  /** First line; the EWS impersonation test's title when absent. */
  title?: string;
  /** "Name: value" lines after the title (the Graph test: tenant, app). */
  facts?: string[];
  serviceAccount?: string;
  testMailbox?: string;
  startedAt?: string;
};

export function renderLog(steps: ProbeStep[], heading?: LogHeading): string {
  const summary = steps.find((s) => s.id === "summary");
  const head = [heading?.title ?? "Exchange Web Services impersonation test (MoxiEngage onboarding probe)", ...(heading?.facts ?? [])];
  if (heading?.serviceAccount) head.push(`Service account: ${heading.serviceAccount}`);
  if (heading?.testMailbox) head.push(`Test mailbox: ${heading.testMailbox}`);
  if (heading?.startedAt) head.push(`Started: ${heading.startedAt}`);
  if (summary) head.push(summary.status === "passed" ? "The test passed." : `The test failed. ${summary.result ?? ""}`.trim());
  head.push("", "Test Steps");
  return [head.join("\n"), ...steps.map(renderStep)].join("\n\n") + "\n";
}
