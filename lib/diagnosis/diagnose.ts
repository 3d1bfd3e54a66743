// Log text → findings, most likely first. Pure and synchronous: no I/O, safe to call anywhere.
// Reads our probe's RCA-style log and pasted Remote Connectivity Analyzer logs with the same rules.

import type { Track } from "@/lib/guide/ids";
import { APP_ACCESS_CAUSE_NAMES, CAUSES, type Cause } from "./causes";
import { guidanceFor, type Actor, type GuidanceTrack } from "./guidance";
import { phraseScanner } from "./phrase-scan";
import { readLog, type LogLine } from "./read-log";
import {
  EXCHANGE_ONLINE_HOST_MARKERS,
  EXPLAINS,
  FAIL_VERDICTS,
  GRAPH_MARKERS,
  PASS_VERDICTS,
  RELEVANT_WORDS,
  RULES,
  UNRELATED_AADSTS,
  type Rule,
} from "./rules";

export { MAX_LOG_CHARS } from "./read-log";

export interface Finding {
  cause: Cause;
  title: string;
  explanation: string;
  actor: Actor;
  actions: string[];
  /** Link into the guide, e.g. `/guide/microsoft-365#conditional-access`. */
  guideStep: string;
  /** The log lines that triggered the finding (trimmed, at most MAX_EVIDENCE). */
  evidence: string[];
  /** 0..1; below 0.5 means "a guess from a generic signal". */
  confidence: number;
  /** Ids of the rules that matched (see rules.ts), for support staff. */
  signals: string[];
}

export interface Diagnosis {
  /** null only when the log shows a test that passed: nothing to diagnose. */
  primaryCause: Cause | null;
  findings: Finding[];
}

export interface DiagnoseOptions {
  track?: GuidanceTrack;
}

const MAX_EVIDENCE = 5;
const MAX_EVIDENCE_CHARS = 300;
/** How much a demoted (explained) finding keeps of its confidence. */
const EXPLAINED_FACTOR = 0.5;

// ---- the catalogue, compiled once into lookup tables ------------------------------------------------

const phraseRules = new Map<string, Rule[]>();
const aadstsRules = new Map<number, Rule[]>();
const ewsCodeRules = new Map<string, Rule[]>();
const headerRules = new Map<string, { value: string; rule: Rule }[]>();
const statusRules = new Map<number, Rule[]>();

function push<K>(map: Map<K, Rule[]>, key: K, rule: Rule): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

for (const rule of RULES) {
  const s = rule.signal;
  switch (s.kind) {
    case "phrase":
      for (const p of s.phrases) push(phraseRules, p.toLowerCase(), rule);
      break;
    case "aadsts":
      for (const code of s.codes) push(aadstsRules, code, rule);
      break;
    case "ews-code":
      for (const code of s.codes) push(ewsCodeRules, code.toLowerCase(), rule);
      break;
    case "header": {
      const list = headerRules.get(s.header) ?? [];
      for (const v of s.values) list.push({ value: v.toLowerCase(), rule });
      headerRules.set(s.header, list);
      break;
    }
    case "status":
      for (const code of s.statuses) push(statusRules, code, rule);
      break;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const anyOf = (needles: readonly string[]) => new RegExp(needles.map((n) => escape(n.toLowerCase())).join("|"));
// Rule phrases are found by one automaton pass per line (phrase-scan.ts), leftmost and longest first, as an
// alternation of them sorted longest first would find them. The same pass reports every occurrence of the
// context markers (Exchange Online hosts, verdicts, Graph) and of the words without which the code and status
// patterns below cannot match, so those regexes run only on the few lines that may carry them.
const PHRASE_KEYS = [...phraseRules.keys()];
type Marker = "exchangeOnline" | "graph" | "passVerdict" | "failVerdict" | "aadsts" | "ewsCode" | "status";
// "(401)" for every status, "http/", "http " and "httpstatus" (not "http" alone: every URL has it).
const STATUS_WORDS = [
  ...Array.from({ length: 500 }, (_, n) => `(${n + 100})`),
  "http/",
  "http ",
  "httpstatus",
  "status", "error code", "returned", "client error", "server error", "indicate success", "unauthorized", "forbidden", "not found", "internal server error", "service unavailable", "bad gateway", "gateway time", "too many requests", "request timeout",
];
const MARKERS: [string, Marker][] = [
  ...EXCHANGE_ONLINE_HOST_MARKERS.map((m): [string, Marker] => [m, "exchangeOnline"]),
  ...GRAPH_MARKERS.map((m): [string, Marker] => [m, "graph"]),
  ...PASS_VERDICTS.map((m): [string, Marker] => [m, "passVerdict"]),
  ...FAIL_VERDICTS.map((m): [string, Marker] => [m, "failVerdict"]),
  ["aadsts", "aadsts"],
  ["error", "ewsCode"],
  ...STATUS_WORDS.map((m): [string, Marker] => [m, "status"]),
];
const PHRASE_SCAN = phraseScanner(PHRASE_KEYS, MARKERS.map(([m]) => m.toLowerCase()));
// Scratch lists for the scanners (diagnose() is synchronous: never shared between two calls at once).
const phraseHits: number[] = [];
const markerHits: number[] = [];
const RELEVANT = anyOf(RELEVANT_WORDS);
const UNRELATED_CODES = new Set(UNRELATED_AADSTS);

const AADSTS = /aadsts(\d{5,7})/g;
const EWS_CODE = /\b(error[a-z]{4,60})\b/g;
// A status code where a status is meant: "HTTP/1.1 401", "HTTP 456", "(403) Forbidden", "status code: 503",
// "error code:401", "HttpStatusCode: 401", "X-BackEndHttpStatus: 456", "returned 500", "401 Unauthorized", urllib3's
// debug line '"POST /EWS/Exchange.asmx HTTP/1.1" 401 0', and as other
// stacks word it: Python's urllib "HTTP Error 500: Internal Server Error" and requests "401 Client Error: Unauthorized",
// .NET HttpClient / PowerShell 7 "Response status code does not indicate success: 401 (Unauthorized)", Java's
// "Server returned HTTP response code: 500". Not IIS's sub-statuses ("HTTP Error 401.2"): those are IIS's own pages.
const STATUS_SOURCE =
  String.raw`\(([1-5]\d\d)\)|\b(?:http(?:\/\d(?:\.\d)?"?\s|\s(?:error:?\s?|response code:?\s?)?|status(?:code)?\s?[:=]?\s?)|status(?:\s?code)?\s?[:=]?\s?|error code\s?[:=]?\s?|returned\s|status of\s|client error\s|does not indicate success:?\s?)([1-5]\d\d)\b(?!\.\d)` +
  String.raw`|\b([45]\d\d)\s?[(:]?\s?(?:unauthorized|forbidden|not found|internal server error|service unavailable|server unavailable|bad gateway|gateway time-?out|too many requests|request timeout|server error|client error)\b`;
const ANY_STATUS = new RegExp(STATUS_SOURCE);
const STATUSES = new RegExp(STATUS_SOURCE, "g");
const ANY_EWS_CODE = /\berror[a-z]{4}/;

// ---- scanning --------------------------------------------------------------------------------------

interface Hit {
  weight: number;
  strong: boolean;
  signals: Set<string>;
  evidence: string[];
  firstLine: number;
}

interface Facts {
  hits: Map<Cause, Hit>;
  /** Lines of WWW-Authenticate headers (the schemes a server offered with a 401). */
  wwwAuthenticate: LogLine[];
  exchangeOnline: boolean;
  /** The text comes from Microsoft Graph or one of its SDKs. */
  graph: boolean;
  /** An Entra error that concerns no mailbox (redirect URI, browser session …) was seen. */
  unrelatedSignIn: boolean;
  passVerdict: boolean;
  failVerdict: boolean;
}

function record(facts: Facts, rule: Rule, line: LogLine, lineNo: number): void {
  let hit = facts.hits.get(rule.cause);
  if (!hit) {
    hit = { weight: 0, strong: false, signals: new Set(), evidence: [], firstLine: lineNo };
    facts.hits.set(rule.cause, hit);
  }
  // Strong evidence outranks weak evidence for the same cause regardless of weight.
  if (rule.strong && !hit.strong) {
    hit.strong = true;
    hit.weight = rule.weight;
    hit.evidence = [];
  } else if (rule.strong === hit.strong) {
    hit.weight = Math.max(hit.weight, rule.weight);
  } else {
    return; // a weak rule adds nothing to a strong hit
  }
  hit.signals.add(rule.id);
  const text = line.text.length > MAX_EVIDENCE_CHARS ? `${line.text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : line.text;
  if (hit.evidence.length < MAX_EVIDENCE && !hit.evidence.includes(text)) hit.evidence.push(text);
}

/** Calls `each` with every match of a global regex (exec loop: no iterator allocations on the hot path). */
function eachMatch(re: RegExp, text: string, each: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    each(m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

function scanLine(facts: Facts, line: LogLine, lineNo: number): void {
  const lower = line.lower;
  phraseHits.length = 0;
  markerHits.length = 0;
  PHRASE_SCAN.scan(lower, phraseHits, markerHits);
  for (const p of phraseHits) for (const rule of phraseRules.get(PHRASE_KEYS[p]!) ?? []) record(facts, rule, line, lineNo);

  let aadstsWord = false;
  let errorWord = false;
  let statusWord = false;
  for (const m of markerHits) {
    const marker = MARKERS[m]![1];
    if (marker === "aadsts") aadstsWord = true;
    else if (marker === "ewsCode") errorWord = true;
    else if (marker === "status") statusWord = true;
    else facts[marker] = true;
  }

  if (aadstsWord) {
    eachMatch(AADSTS, lower, (m) => {
      const code = Number(m[1]);
      if (UNRELATED_CODES.has(code)) facts.unrelatedSignIn = true;
      for (const rule of aadstsRules.get(code) ?? []) record(facts, rule, line, lineNo);
    });
  }

  if (errorWord && ANY_EWS_CODE.test(lower)) {
    eachMatch(EWS_CODE, lower, (m) => {
      for (const rule of ewsCodeRules.get(m[1] ?? "") ?? []) record(facts, rule, line, lineNo);
    });
  }

  if (line.headerName) {
    const candidates = headerRules.get(line.headerName);
    if (candidates) {
      const value = lower.slice(line.headerName.length + 1);
      for (const { value: token, rule } of candidates) {
        if (value.includes(token)) record(facts, rule, line, lineNo);
      }
    }
  }

  if (statusWord && ANY_STATUS.test(lower)) {
    eachMatch(STATUSES, lower, (m) => {
      for (const rule of statusRules.get(Number(m[1] ?? m[2] ?? m[3])) ?? []) record(facts, rule, line, lineNo);
    });
  }

  if (line.headerName === "www-authenticate") facts.wwwAuthenticate.push(line);
}

// ---- ranking ---------------------------------------------------------------------------------------

interface Ranked {
  cause: Cause;
  confidence: number;
  hit: Hit;
  /** A consequence of a more certain finding (Autodiscover failing because MFA is required): not a second problem. */
  explainedBy: boolean;
}

// A 401 where the server offered only Negotiate/NTLM/Bearer: it does not take a password over Basic.
const BASIC_NOT_OFFERED: Rule = {
  id: "www-authenticate-without-basic",
  cause: "basic_auth_blocked",
  weight: 0.6,
  strong: true,
  signal: { kind: "header", header: "www-authenticate", values: [] },
};

function rank(facts: Facts, online: boolean): Ranked[] {
  const unauthorized = facts.hits.get("bad_credentials");
  const saw401 = unauthorized?.signals.has("http-401") ?? false;
  if (saw401 && facts.wwwAuthenticate.length > 0 && !facts.wwwAuthenticate.some((l) => l.lower.includes("basic"))) {
    facts.wwwAuthenticate.forEach((line) => record(facts, BASIC_NOT_OFFERED, line, Number.MAX_SAFE_INTEGER));
  }

  // Words of one cause that, in context, mean another (the cause is renamed, its evidence kept).
  const rename = (from: Cause, to: Cause, signal: string, when: (hit: Hit) => boolean) => {
    const hit = facts.hits.get(from);
    if (!hit || !when(hit)) return;
    facts.hits.delete(from);
    const existing = facts.hits.get(to);
    if (!existing || existing.weight < hit.weight) facts.hits.set(to, { ...hit, signals: new Set([...hit.signals, signal]) });
  };
  // Graph's ErrorAccessDenied is the app's access to the mailbox, not EWS impersonation.
  if (facts.graph) rename("impersonation_denied", "app_access_denied", "graph-context", (h) => [...h.signals].every((id) => id === "ews-access-denied" || id === "access-denied-message"));
  // Exchange Online refuses every password sign-in to EWS since 1 October 2022: "wrong password" there is that refusal.
  if (online) {
    rename("bad_credentials", "basic_auth_blocked", "exchange-online-password-refused", (h) => !h.signals.has("aadsts-invalid-credentials") && !h.signals.has("server-says-credentials-incorrect") && !facts.hits.has("mfa_required") && !facts.hits.has("conditional_access"));
    // And a 403 from Exchange Online's EWS after 1 October 2026 is its retirement block, not a server's switch.
    rename("ews_disabled", "ews_blocked", "exchange-online-403", (h) => h.signals.size === 1 && h.signals.has("http-403"));
  }

  const anyStrong = [...facts.hits.values()].some((h) => h.strong);
  // An unrelated Entra sign-in error with only weak words around it: not ours to guess at.
  if (facts.unrelatedSignIn && !anyStrong) return [];
  const kept = [...facts.hits.entries()].filter(([, hit]) => hit.strong || !anyStrong);

  // A bare 401 from Exchange Online almost always means password sign-in is refused, not a typo.
  if (!anyStrong && online) {
    if (unauthorized && !unauthorized.strong && !facts.hits.has("basic_auth_blocked")) {
      kept.push([
        "basic_auth_blocked",
        { ...unauthorized, weight: unauthorized.weight + 0.05, signals: new Set(["http-401-exchange-online"]) },
      ]);
    }
  }

  // A few independent signals for the same cause make it more certain.
  const base = new Map<Cause, number>(
    kept.map(([cause, hit]) => [cause, Math.min(0.99, hit.weight + 0.03 * (hit.signals.size - 1))]),
  );
  const ranked = kept.map(([cause, hit]) => {
    let confidence = base.get(cause) ?? 0;
    // Demote a finding that a more certain strong finding explains (it is a consequence, not a second problem).
    const explainedBy = kept.some(
      ([other, otherHit]) =>
        other !== cause && otherHit.strong && EXPLAINS[other]?.includes(cause) && (base.get(other) ?? 0) >= confidence,
    );
    if (explainedBy) confidence *= EXPLAINED_FACTOR;
    return { cause, confidence: Math.round(confidence * 100) / 100, hit, explainedBy };
  });
  // Most likely first; ties go to what appeared first in the log, then to vocabulary order.
  ranked.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      a.hit.firstLine - b.hit.firstLine ||
      CAUSES.indexOf(a.cause) - CAUSES.indexOf(b.cause),
  );
  return ranked;
}

/**
 * Failures that a test (ours or the analyzer's) often meets on one Autodiscover candidate or one attempt and then goes
 * on: they do not stop what comes after them, so a later failure is not their consequence.
 */
const PASSING_FAILURES: ReadonlySet<Cause> = new Set<Cause>(["dns_failure", "tls_error", "timeout", "autodiscover_failed", "server_error", "throttled"]);
/** How sure a finding must be to count as a failure that stopped the test. */
const BLOCKING_CONFIDENCE = 0.8;

/**
 * A log with several failures: the first one that stops the test is the primary cause (a refused sign-in comes before
 * any "impersonation denied" that follows it, however sure that one is). The others keep their order behind it.
 */
function firstBlockingFirst(ranked: Ranked[]): Ranked[] {
  let first: Ranked | undefined;
  for (const r of ranked) {
    if (r.explainedBy || r.confidence < BLOCKING_CONFIDENCE || PASSING_FAILURES.has(r.cause) || !r.hit.strong) continue;
    if (!first || r.hit.firstLine < first.hit.firstLine) first = r;
  }
  if (!first || first === ranked[0] || (!PASSING_FAILURES.has(ranked[0]!.cause) && ranked[0]!.hit.firstLine < first.hit.firstLine)) return ranked;
  return [first, ...ranked.filter((r) => r !== first)];
}

function relevantLines(lines: LogLine[]): string[] {
  const picked: string[] = [];
  for (const line of lines) {
    if (RELEVANT.test(line.lower)) {
      const text = line.text.length > MAX_EVIDENCE_CHARS ? `${line.text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : line.text;
      if (!picked.includes(text)) picked.push(text);
      if (picked.length >= MAX_EVIDENCE) break;
    }
  }
  return picked;
}

function toFinding(cause: Cause, confidence: number, evidence: string[], signals: string[], track: GuidanceTrack, linkTrack: Track): Finding {
  return { cause, ...guidanceFor(cause, track, linkTrack), evidence, confidence, signals };
}

/** A finding for a cause on a track (links to the Exchange Server guide when the track is unknown). */
export function findingFor(cause: Cause, confidence: number, evidence: string[], signals: string[], track: GuidanceTrack): Finding {
  return toFinding(cause, confidence, evidence, signals, track, track === "unknown" ? "exchange-server" : track);
}

/** Causes that only exist where an app signs in to Microsoft 365 (Entra, Graph, EWS's retirement in Exchange Online). */
export const APP_ACCESS_CAUSES: ReadonlySet<Cause> = new Set<Cause>([...APP_ACCESS_CAUSE_NAMES, "oauth_app_misconfigured"]);

/**
 * Whether a cause may be offered as a second finding on this track: on Exchange Server or hosted Exchange
 * there is no app in Entra, so app-access findings there would send an admin to fix what does not exist.
 */
export function allowedAsSecondary(cause: Cause, track: GuidanceTrack): boolean {
  if (cause === "unknown") return false;
  if (track === "exchange-server" || track === "hosted-exchange") return !APP_ACCESS_CAUSES.has(cause) && cause !== "tenant_not_found";
  return true;
}

/**
 * Diagnose a probe log or a pasted Remote Connectivity Analyzer log.
 * Input beyond MAX_LOG_CHARS (1 MB) is ignored. Never throws on any string.
 */
export function diagnose(text: string, options: DiagnoseOptions = {}): Diagnosis {
  const lines = readLog(typeof text === "string" ? text : "");
  const facts: Facts = { hits: new Map(), wwwAuthenticate: [], exchangeOnline: false, graph: false, unrelatedSignIn: false, passVerdict: false, failVerdict: false };
  // Logs repeat lines a lot; a line identical to one already scanned cannot add anything (its evidence
  // is deduplicated and its first occurrence is already recorded), so it is skipped.
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (seen.has(line.lower)) return;
    seen.add(line.lower);
    scanLine(facts, line, i);
  });

  // A test that passed has nothing to diagnose, even if some Autodiscover candidates failed on the way.
  if (facts.passVerdict && !facts.failVerdict) return { primaryCause: null, findings: [] };

  const given = options.track ?? "unknown";
  // When the caller does not know the mail host, the log often does (Exchange Online host names).
  const track: GuidanceTrack = given === "unknown" && facts.exchangeOnline ? "microsoft-365" : given;
  const online = track === "microsoft-365" || track === "microsoft-365-reseller";
  const linkTrack: Track = track === "unknown" ? "exchange-server" : track;

  const ranked = firstBlockingFirst(rank(facts, online));
  if (ranked.length === 0) {
    const finding = toFinding("unknown", 0, relevantLines(lines), [], track, linkTrack);
    return { primaryCause: "unknown", findings: [finding] };
  }
  // Second findings only where the log supports them on their own (not a consequence of the first) and the track
  // allows them (no app-access advice where there is no app).
  const shown = ranked.filter((r, i) => i === 0 || (!r.explainedBy && allowedAsSecondary(r.cause, track)));
  const findings = shown.map(({ cause, confidence, hit }) =>
    toFinding(cause, confidence, hit.evidence, [...hit.signals], track, linkTrack),
  );
  return { primaryCause: findings[0]?.cause ?? "unknown", findings };
}
