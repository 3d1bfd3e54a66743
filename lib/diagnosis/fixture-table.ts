// Reads the diagnosis fixtures (used by the tests and the benchmark; not by the engine, which does no I/O).
//
// A fixture is a text file under lib/diagnosis/fixtures/ (any sub-folder):
//
//   source: <where the text comes from: URL of the public page, issue or file>
//   expect: <cause, or "null" for a log of a test that passed>
//   track: <optional: microsoft-365 | microsoft-365-reseller | exchange-server | hosted-exchange>
//   guide: <optional: a fragment the primary finding's guideStep must contain, e.g. #conditional-access>
//   ---
//   <the log text, verbatim>
//
// Adding a case (for example the log of a simulator scenario) is adding one such file.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Track } from "@/lib/guide/ids";
import { isCause, type Cause } from "./causes";

export const FIXTURES_DIR = fileURLToPath(new URL("./fixtures", import.meta.url));

export interface Fixture {
  /** Path relative to the fixtures folder, e.g. `public/tls-pkix-ews-java.txt`. */
  name: string;
  source: string;
  expect: Cause | null;
  track?: Track;
  guide?: string;
  text: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? listFiles(path) : entry.endsWith(".txt") ? [path] : [];
    });
}

export function parseFixture(name: string, content: string): Fixture {
  const separator = content.indexOf("\n---\n");
  if (separator < 0) throw new Error(`${name}: missing the '---' line after the header`);
  const fields = new Map<string, string>();
  for (const line of content.slice(0, separator).split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const source = fields.get("source");
  const expect = fields.get("expect");
  if (!source) throw new Error(`${name}: missing 'source:'`);
  if (expect !== "null" && !isCause(expect)) throw new Error(`${name}: 'expect:' must be a cause or null`);
  return {
    name,
    source,
    expect: expect === "null" ? null : expect,
    track: fields.get("track") as Track | undefined,
    guide: fields.get("guide"),
    text: content.slice(separator + 5),
  };
}

export function loadFixtures(dir: string = FIXTURES_DIR): Fixture[] {
  return listFiles(dir).map((path) => parseFixture(relative(dir, path), readFileSync(path, "utf8")));
}
