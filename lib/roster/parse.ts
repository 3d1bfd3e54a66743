import { z } from "zod";

/**
 * The agents' addresses as a brokerage pastes or uploads them: a CSV with a header row (the column named
 * email / e-mail / mail / address / upn / userprincipalname / primarysmtpaddress, or the first column holding an @),
 * or one address per line. Pure (the browser previews with it, the server decides with it).
 * - every bad line gets its line number and why; nothing else on the list is dropped for it;
 * - duplicates and case variants are merged (addresses are compared lower-cased; the first spelling is kept);
 * - addresses outside the brokerage's domains are flagged, not checked;
 * - more than ROSTER_LIMIT distinct addresses is refused as a whole.
 */
export const ROSTER_LIMIT = 10_000;
/** Text size cap before parsing: 10,000 addresses of 254 characters with CSV columns fit. */
export const ROSTER_MAX_CHARS = 5_000_000;

export type RosterLineError = { line: number; message: string };
export type RosterFlag = { line: number; address: string; reason: "outside_domains" };
export type ParsedRoster =
  | { ok: true; addresses: string[]; flagged: RosterFlag[]; errors: RosterLineError[]; duplicates: number }
  | { ok: false; reason: "too_many" | "too_large" | "empty"; message: string; errors: RosterLineError[] };

const emailSchema = z.email({ pattern: z.regexes.html5Email });
const HEADER_NAMES = new Set(["email", "emailaddress", "mail", "address", "upn", "userprincipalname", "primarysmtpaddress", "smtp", "smtpaddress"]);
const headerName = (cell: string) => cell.toLowerCase().replace(/[\s_-]+/g, "");

/** Splits one CSV line (RFC 4180 quotes, comma or semicolon or tab). */
export function splitCsvLine(line: string, separator: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) cur += ch;
    else if (ch === '"') quoted = true;
    else if (ch === separator) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

function separatorOf(line: string): string | undefined {
  for (const s of [",", ";", "\t"]) if (line.includes(s)) return s;
  return undefined;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** True when the address's domain is one of `domains` or a subdomain of one. */
export function inDomains(address: string, domains: readonly string[]): boolean {
  const d = domainOf(address);
  return domains.some((x) => d === x || d.endsWith(`.${x}`));
}

export function parseRoster(text: string, options: { domains: readonly string[]; limit?: number }): ParsedRoster {
  const limit = options.limit ?? ROSTER_LIMIT;
  if (text.length > ROSTER_MAX_CHARS) return { ok: false, reason: "too_large", message: `The list is larger than ${ROSTER_MAX_CHARS.toLocaleString("en-US")} characters; split it or remove the other columns.`, errors: [] };
  const domains = options.domains.map((d) => d.toLowerCase());
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const errors: RosterLineError[] = [];
  const flagged: RosterFlag[] = [];
  const seen = new Map<string, string>();
  let duplicates = 0;

  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return { ok: false, reason: "empty", message: "The list is empty: paste one address per line, or a CSV with an email column.", errors: [] };
  let column = 0;
  let separator: string | undefined;
  let start = first;
  const head = lines[first]!;
  const headSep = separatorOf(head);
  const headCells = headSep ? splitCsvLine(head, headSep) : [head.trim()];
  const named = headCells.findIndex((c) => HEADER_NAMES.has(headerName(c)));
  if (named >= 0) {
    column = named;
    separator = headSep;
    start = first + 1;
  } else if (headSep) {
    separator = headSep;
    if (!headCells.some((c) => c.includes("@"))) {
      // A header row without a name we know: take the first column whose next line holds an @.
      start = first + 1;
      const next = lines.slice(start).find((l) => l.trim() !== "");
      const cells = next ? splitCsvLine(next, headSep) : [];
      column = Math.max(0, cells.findIndex((c) => c.includes("@")));
    } else column = headCells.findIndex((c) => c.includes("@"));
  }

  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const line = i + 1;
    const value = (separator ? splitCsvLine(raw, separator)[column] ?? "" : raw).trim().replace(/^<(.*)>$/, "$1").replace(/^mailto:/i, "");
    if (value === "") {
      errors.push({ line, message: `Line ${line}: no address in the ${separator ? "email column" : "line"}.` });
      continue;
    }
    if (value.length > 254 || !emailSchema.safeParse(value).success) {
      errors.push({ line, message: `Line ${line}: "${value.slice(0, 80)}" is not an email address.` });
      continue;
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.set(key, value);
    if (domains.length > 0 && !inDomains(value, domains)) flagged.push({ line, address: value, reason: "outside_domains" });
  }
  const flaggedKeys = new Set(flagged.map((f) => f.address.toLowerCase()));
  const addresses = [...seen.entries()].filter(([k]) => !flaggedKeys.has(k)).map(([, v]) => v);
  if (seen.size > limit) {
    return { ok: false, reason: "too_many", message: `The list has ${seen.size.toLocaleString("en-US")} distinct addresses; at most ${limit.toLocaleString("en-US")} can be checked at once. Nothing was saved: split the list.`, errors };
  }
  if (seen.size === 0) return { ok: false, reason: "empty", message: "No address on the list could be read.", errors };
  return { ok: true, addresses, flagged, errors, duplicates };
}
