// What every command-line tool here does with its arguments the same way: one line on stderr and exit 2 for
// bad usage, --help on stdout, and an extra CA file that must hold a PEM certificate.
import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { parseHostEntry } from "@/lib/exchange/address-guard";
import { TRACKS } from "@/lib/guide/ids";

export type Fail = (message: string) => never;

/** `fail("…")` prints `name: …` on stderr and exits 2. */
export function cliFailer(name: string): Fail {
  return (message) => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  };
}

/** Runs node:util parseArgs (strict), turning its error into one line; --help prints the usage and exits 0. */
export function parseOrFail<T extends { help?: boolean }>(parse: () => T, usage: string, fail: Fail): T {
  let values: T;
  try {
    values = parse();
  } catch (e) {
    fail((e as Error).message.split("\n")[0]!);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return values;
}

/** The options the network tools share: --allow-host H[:P]…, --ca-file F, --timeout-ms N, --json, --help. */
const SHARED_OPTIONS = {
  "allow-host": { type: "string", multiple: true },
  "ca-file": { type: "string" },
  "timeout-ms": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type ToolOptions = NonNullable<ParseArgsConfig["options"]>;

/** parseOrFail over node:util parseArgs (strict, no positionals) with a tool's own options plus SHARED_OPTIONS. */
export function parseToolArgs<O extends ToolOptions>(options: O, usage: string, fail: Fail) {
  const config = { options: { ...options, ...SHARED_OPTIONS }, strict: true, allowPositionals: false } as const;
  return parseOrFail(() => parseArgs(config).values, usage, fail);
}

/** The PEM text of --ca-file (or the configured extra CA), or undefined when there is none. */
export function readCaPem(file: string | undefined, fail: Fail): string | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (e) {
    fail(`cannot read --ca-file ${file} (${(e as NodeJS.ErrnoException).code ?? "read error"})`);
  }
  if (!pem.includes("BEGIN CERTIFICATE")) fail(`--ca-file ${file} does not contain a PEM certificate`);
  return pem;
}

/** `--allow-host H[:P]`… (repeatable): each must be a host or host:port. */
export function allowHostsOrFail(values: string[] | undefined, fail: Fail): string[] {
  const hosts = values ?? [];
  const bad = hosts.find((h) => !parseHostEntry(h));
  if (bad !== undefined) fail(`--allow-host "${bad}" is not a host or host:port`);
  return hosts;
}

/** `--timeout-ms N`: the probe's deadline, 100–300000 ms, 30 s when not given. */
export function probeTimeoutOrFail(value: string | undefined, fail: Fail): number {
  const ms = value === undefined ? 30_000 : Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > 300_000) fail(`--timeout-ms must be a whole number of milliseconds between 100 and 300000, got "${value}"`);
  return ms;
}

/** `--track T`: a guide track, or "unknown" when not given. */
export function trackOrFail(value: string | undefined, fail: Fail): GuidanceTrack {
  const track = (value ?? "unknown") as GuidanceTrack;
  if (track !== "unknown" && !(TRACKS as readonly string[]).includes(track)) fail(`--track must be one of ${[...TRACKS, "unknown"].join(", ")}`);
  return track;
}
