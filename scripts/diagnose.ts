// npm run -s diagnose -- [FILE] [--track T]
// Reads a probe log or a pasted Remote Connectivity Analyzer log from FILE (or stdin) and prints the
// diagnosis as JSON: {"primaryCause": "<cause>"|null, "findings": [{cause, title, guideStep, evidence, …}]}.
// Exit 0 whenever a diagnosis was printed; exit 2 with one line on stderr for bad arguments or an
// unreadable file.

import { readFileSync } from "node:fs";
import { TRACKS } from "@/lib/guide/ids";
import { diagnose, MAX_LOG_CHARS } from "@/lib/diagnosis/diagnose";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";

function fail(message: string): never {
  process.stderr.write(`diagnose: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file?: string; track: GuidanceTrack } {
  let file: string | undefined;
  let track: GuidanceTrack = "unknown";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--track") {
      const value = argv[++i];
      if (value !== "unknown" && !(TRACKS as readonly string[]).includes(value ?? "")) {
        fail(`--track must be one of ${[...TRACKS, "unknown"].join(", ")}`);
      }
      track = value as GuidanceTrack;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: npm run -s diagnose -- [FILE] [--track microsoft-365|microsoft-365-reseller|exchange-server|hosted-exchange|unknown]\n");
      process.exit(0);
    } else if (arg.startsWith("--")) {
      fail(`unknown option ${arg}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      fail("give at most one FILE");
    }
  }
  return { file, track };
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

const { file, track } = parseArgs(process.argv.slice(2));
const result = diagnose(readInput(file), { track });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
