// npm run -s diagnose -- [FILE] [--track T]
// npm run -s diagnose -- --corpus   (per-cause precision and recall on the real-world corpus, held-back part apart)
// Reads a probe log or a pasted Remote Connectivity Analyzer log from FILE (or stdin) and prints the
// diagnosis as JSON: {"primaryCause": "<cause>"|null, "findings": [{cause, title, guideStep, evidence, …}]}.
// Exit 0 whenever a diagnosis was printed; exit 2 with one line on stderr for bad arguments or an
// unreadable file.

import { readFileSync } from "node:fs";
import { TRACKS } from "@/lib/guide/ids";
import { diagnose, MAX_LOG_CHARS } from "@/lib/diagnosis/diagnose";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { formatScore, loadCorpus, scoreCorpus } from "@/lib/diagnosis/corpus";

function fail(message: string): never {
  process.stderr.write(`diagnose: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file?: string; track: GuidanceTrack; corpus: boolean } {
  let file: string | undefined;
  let corpus = false;
  let track: GuidanceTrack = "unknown";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--corpus") {
      corpus = true;
    } else if (arg === "--track") {
      const value = argv[++i];
      if (value !== "unknown" && !(TRACKS as readonly string[]).includes(value ?? "")) {
        fail(`--track must be one of ${[...TRACKS, "unknown"].join(", ")}`);
      }
      track = value as GuidanceTrack;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: npm run -s diagnose -- [FILE | --corpus] [--track microsoft-365|microsoft-365-reseller|exchange-server|hosted-exchange|unknown]\n");
      process.exit(0);
    } else if (arg.startsWith("--")) {
      fail(`unknown option ${arg}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      fail("give at most one FILE");
    }
  }
  return { file, track, corpus };
}

function readInput(file: string | undefined): string {
  try {
    // Read a little more than the engine uses so the cap is the engine's, not ours; decode as UTF-8.
    const buffer = readFileSync(file === undefined || file === "-" ? 0 : file);
    return buffer.subarray(0, MAX_LOG_CHARS * 4).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    fail(`cannot read ${file ?? "stdin"} (${code})`);
  }
}

const { file, track, corpus } = parseArgs(process.argv.slice(2));
if (corpus) {
  const entries = loadCorpus();
  const { heldBack, written } = scoreCorpus(entries);
  const clients = new Set(entries.map((e) => e.client)).size;
  process.stdout.write(`Corpus: ${entries.length} real texts from ${clients} clients/tools (held back: ${heldBack.total}, rules written from: ${written.total})\n\n`);
  process.stdout.write(`${formatScore("Held back (never tuned on)", heldBack, false)}\n\n${formatScore("Rules written from", written)}\n`);
} else {
  const result = diagnose(readInput(file), { track });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
