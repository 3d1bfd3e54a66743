// What every command-line tool here does with its arguments the same way: one line on stderr and exit 2 for
// bad usage, --help on stdout, and an extra CA file that must hold a PEM certificate.
import { readFileSync } from "node:fs";

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
