// The real-world corpus: texts people posted publicly (issues, Q&A pages, RCA output, library errors),
// each with its source URL, in lib/diagnosis/corpus/*.json plus the public fixtures (fixtures/public/*.txt).
// A third is held back, chosen by the source thread alone (sha256 of the normalised URL, mod 3 == 0), so the
// split was fixed before any rule was written from the corpus and cannot be tuned. Used by tests, the CLI
// (`npm run -s diagnose -- --corpus`) and the benchmark; not by the engine, which does no I/O.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Track } from "@/lib/guide/ids";
import { CAUSES, isCause, type Cause } from "./causes";
import { diagnose } from "./diagnose";
import { loadFixtures } from "./fixture-table";

export const CORPUS_DIR = fileURLToPath(new URL("./corpus", import.meta.url));

export interface CorpusEntry {
  /** Public URL of the thread, page or file the text comes from. */
  source: string;
  /** The client, library or tool that wrote the text (exchangelib, msal-python, rca, powershell, …). */
  client: string;
  expect: Cause;
  track?: Track;
  /** Verbatim, trimmed to the relevant lines. */
  text: string;
  /** Where the entry is kept (file name), for reports. */
  from: string;
}

/** The thread a URL belongs to: scheme, host and path, without query, fragment or trailing slash, lower case. */
export function threadOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`.replace(/\/+$/, "").toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/** Held back (never used to write rules): sha256(thread) mod 3 == 0. */
export function isHeldBack(source: string): boolean {
  const digest = createHash("sha256").update(threadOf(source)).digest();
  // The digest as a big number mod 3: sum of bytes weighted by 256^i ≡ 1 (mod 3), so the byte sum mod 3.
  let sum = 0;
  for (const byte of digest) sum += byte;
  return sum % 3 === 0;
}

function clientOfUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.host === "github.com") return u.pathname.split("/").slice(1, 3).join("/").toLowerCase();
    return u.host.replace(/^www\./, "");
  } catch {
    return "unknown";
  }
}

function fromJson(file: string): CorpusEntry[] {
  const raw = JSON.parse(readFileSync(join(CORPUS_DIR, file), "utf8")) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: not an array`);
  return raw.map((e: Record<string, unknown>, i) => {
    const where = `${file}[${i}]`;
    if (typeof e.source !== "string" || !/^https?:\/\//.test(e.source)) throw new Error(`${where}: source must be a URL`);
    if (typeof e.client !== "string" || !e.client) throw new Error(`${where}: client missing`);
    if (!isCause(e.expect)) throw new Error(`${where}: expect must be a cause`);
    if (typeof e.text !== "string" || !e.text.trim()) throw new Error(`${where}: text missing`);
    return { source: e.source, client: e.client, expect: e.expect, track: e.track as Track | undefined, text: e.text, from: file };
  });
}

export function loadCorpus(): CorpusEntry[] {
  const json = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap(fromJson);
  const fixtures: CorpusEntry[] = loadFixtures()
    .filter((f) => f.name.startsWith("public/") && f.expect !== null && /^https?:\/\//.test(f.source))
    .map((f) => ({ source: f.source, client: clientOfUrl(f.source), expect: f.expect as Cause, track: f.track, text: f.text, from: `fixtures/${f.name}` }));
  return [...fixtures, ...json];
}

/** A wrong cause said with this confidence or more is "confidently wrong". */
export const CONFIDENT = 0.5;

export interface PartScore {
  total: number;
  correct: number;
  accuracy: number;
  /** Unrelated texts (expect unknown) that got another cause with confidence ≥ CONFIDENT. */
  confidentWrongUnrelated: number;
  /** Any text that got a wrong cause with confidence ≥ CONFIDENT. */
  confidentWrong: number;
  perCause: { cause: Cause; support: number; predicted: number; truePositive: number; precision: number; recall: number }[];
  misses: { source: string; expect: Cause; got: Cause; confidence: number; from: string }[];
}

export function scorePart(entries: CorpusEntry[]): PartScore {
  const misses: PartScore["misses"] = [];
  const support = new Map<Cause, number>();
  const predicted = new Map<Cause, number>();
  const tp = new Map<Cause, number>();
  let correct = 0;
  let confidentWrongUnrelated = 0;
  let confidentWrong = 0;
  for (const e of entries) {
    const d = diagnose(e.text, { track: e.track });
    const got: Cause = d.primaryCause ?? "unknown";
    const confidence = d.findings[0]?.confidence ?? 0;
    support.set(e.expect, (support.get(e.expect) ?? 0) + 1);
    predicted.set(got, (predicted.get(got) ?? 0) + 1);
    if (got === e.expect) {
      correct++;
      tp.set(got, (tp.get(got) ?? 0) + 1);
    } else {
      misses.push({ source: e.source, expect: e.expect, got, confidence, from: e.from });
      if (confidence >= CONFIDENT && got !== "unknown") {
        confidentWrong++;
        if (e.expect === "unknown") confidentWrongUnrelated++;
      }
    }
  }
  const perCause = CAUSES.filter((c) => support.has(c) || predicted.has(c)).map((cause) => {
    const s = support.get(cause) ?? 0;
    const p = predicted.get(cause) ?? 0;
    const t = tp.get(cause) ?? 0;
    return { cause, support: s, predicted: p, truePositive: t, precision: p ? t / p : 1, recall: s ? t / s : 1 };
  });
  return { total: entries.length, correct, accuracy: entries.length ? correct / entries.length : 1, confidentWrongUnrelated, confidentWrong, perCause, misses };
}

export function scoreCorpus(entries: CorpusEntry[] = loadCorpus()): { heldBack: PartScore; written: PartScore } {
  return {
    heldBack: scorePart(entries.filter((e) => isHeldBack(e.source))),
    written: scorePart(entries.filter((e) => !isHeldBack(e.source))),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Misses are listed for the part rules are written from only: the held-back part is never looked into. */
export function formatScore(name: string, s: PartScore, listMisses = true): string {
  const lines = [
    `${name}: ${s.correct}/${s.total} primary cause right (${pct(s.accuracy)}); confidently wrong: ${s.confidentWrong} (unrelated texts: ${s.confidentWrongUnrelated})`,
    "  cause                      support  precision  recall",
    ...s.perCause.map((c) => `  ${c.cause.padEnd(26)} ${String(c.support).padStart(7)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}`),
  ];
  if (listMisses) for (const m of s.misses) lines.push(`  miss: expected ${m.expect}, got ${m.got} (${m.confidence}) — ${m.from} ${m.source}`);
  return lines.join("\n");
}
