// The diagnosis of our own test: typed, from the failure code through FAILURE_CAUSES, refined only from what
// the server itself said (its status, its own error code, its headers and body in the recorded exchanges of
// the failed step). Our log's wording never enters, so rewording a message cannot change a diagnosis.
// Pure and synchronous, like diagnose().

import type { ProbeResult } from "@/lib/exchange/probe";
import type { RecordedExchange } from "@/lib/exchange/http-client";
import type { Cause } from "./causes";
import { allowedAsSecondary, diagnose, findingFor, type Diagnosis, type Finding } from "./diagnose";
import { FAILURE_CAUSES, GENERIC_CODES, REFINABLE } from "./failure-causes";
import type { GuidanceTrack } from "./guidance";

export interface DiagnoseProbeOptions {
  track?: GuidanceTrack;
}

const MAX_EVIDENCE = 5;
/** Confidence of a cause the failure code names by itself, and of one read from a generic code. */
const TYPED_CONFIDENCE = 0.95;
const GENERIC_CONFIDENCE = 0.5;
/** Exchange Online's own hosts, for deciding the track of a test whose track the caller does not know. */
const EXCHANGE_ONLINE_HOST = /(^|\.)(outlook\.office365\.com|outlook\.office\.com|graph\.microsoft\.com|login\.microsoftonline\.com|prod\.outlook\.com)$/i;

/** The server's own words from the failed step: status lines, response headers, body excerpts and its error code. */
function serverWords(result: ProbeResult): { text: string; hosts: string[] } {
  const lines: string[] = [];
  const hosts: string[] = [];
  const f = result.failure;
  if (f?.server?.status !== undefined) lines.push(`HTTP ${f.server.status}`);
  if (f?.server?.code) lines.push(`ErrorCode: ${f.server.code}`);
  const step = result.steps.find((s) => s.id === result.failedStage);
  const exchanges: RecordedExchange[] = step?.http ?? [];
  for (const x of exchanges) {
    try {
      hosts.push(new URL(x.url).hostname);
    } catch {
      // a URL the recorder kept as given; nothing to learn from it
    }
    if (x.status === undefined) continue;
    lines.push("", `HTTP/1.1 ${x.status}${x.statusText ? ` ${x.statusText}` : ""}`);
    for (const [name, value] of x.responseHeaders ?? []) lines.push(`${name}: ${value}`);
    if (x.bodyExcerpt) lines.push("", x.bodyExcerpt);
  }
  return { text: lines.join("\n"), hosts };
}

/** Diagnose a finished probe run (EWS or Graph). A pass has nothing to diagnose. */
export function diagnoseProbe(result: ProbeResult, options: DiagnoseProbeOptions = {}): Diagnosis {
  if (result.outcome === "passed") return { primaryCause: null, findings: [] };
  const f = result.failure;
  const given = options.track ?? "unknown";
  const { text, hosts } = serverWords(result);
  const track: GuidanceTrack = given === "unknown" && hosts.some((h) => EXCHANGE_ONLINE_HOST.test(h)) ? "microsoft-365" : given;
  if (!f) return { primaryCause: "unknown", findings: [findingFor("unknown", 0, [], ["failure:none"], track)] };

  const said = text ? diagnose(text, { track }) : { primaryCause: null, findings: [] as Finding[] };
  let cause: Cause = FAILURE_CAUSES[f.code];
  let confidence = cause === "unknown" ? 0 : GENERIC_CODES.has(f.code) ? GENERIC_CONFIDENCE : TYPED_CONFIDENCE;
  const signals = [`failure:${f.code}`];
  const allowed = REFINABLE[f.code];
  const refined = said.findings[0];
  if (allowed && refined && refined.cause !== "unknown" && allowed.includes(refined.cause)) {
    cause = refined.cause;
    confidence = Math.max(refined.confidence, GENERIC_CODES.has(f.code) ? refined.confidence : Math.min(TYPED_CONFIDENCE, refined.confidence + 0.1));
    signals.push(...refined.signals);
  }
  // Exchange Online answering 403 to EWS after its retirement began is the retirement, not a server's switch.
  if (cause === "ews_disabled" && (track === "microsoft-365" || track === "microsoft-365-reseller") && !said.findings.some((x) => x.cause === "ews_disabled" && x.signals.some((s) => s !== "http-403"))) {
    cause = "ews_blocked";
  }

  const serverEvidence = said.findings.find((x) => x.cause === cause)?.evidence ?? [];
  const evidence = [f.message, ...serverEvidence.filter((e) => e !== f.message)].slice(0, MAX_EVIDENCE);
  const primary = findingFor(cause, Math.round(confidence * 100) / 100, evidence, signals, track);
  // Other findings only from the server's own words, and only those the track allows.
  const secondary = said.findings.filter((x) => x.cause !== cause && allowedAsSecondary(x.cause, track) && x.confidence >= 0.5);
  return { primaryCause: cause, findings: [primary, ...secondary] };
}
