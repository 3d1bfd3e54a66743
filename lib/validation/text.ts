import { z } from "zod";

/**
 * The one rule for free text people type into names, labels and notes (forms, server actions and CLIs alike).
 * Refused in one-line fields: C0 and C1 controls (CR, LF, NEL U+0085 …), the Unicode line and paragraph
 * separators U+2028/U+2029, bidi overrides, embeddings, marks and isolates (which make a name read differently
 * from what it is), zero-width and other invisible format characters. Multi-line fields keep newlines (CRLF
 * and CR become LF) and tabs, and refuse the rest. Visible text — quotes, angle brackets, emoji — is kept as
 * typed: it is escaped where it is shown, not here.
 */
const FORBIDDEN_IN_LINE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/u;
const FORBIDDEN_IN_TEXT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/u;

export function hasForbiddenCharacters(value: string, { multiline = false } = {}): boolean {
  return (multiline ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE).test(value);
}

export type FreeTextOptions = {
  /** What the field is, in words for messages ("brokerage name"). */
  what: string;
  max: number;
  /** Fewest characters after trimming; 1 (required) unless given. 0 allows empty. */
  min?: number;
  multiline?: boolean;
  /** The message when empty, if not "Enter the <what>." */
  missing?: string;
};

export function freeText({ what, max, min = 1, multiline = false, missing = `Enter the ${what}.` }: FreeTextOptions) {
  return z
    .string({ message: missing })
    // Checked on the raw input: trim() would silently drop a trailing U+2028 or LF and hide the paste problem.
    .refine((v) => !hasForbiddenCharacters(multiline ? v.replace(/\r\n?/g, "\n") : v, { multiline }), {
      message: `Remove line breaks, invisible or control characters from the ${what}.`,
      abort: true,
    })
    .transform((v) => (multiline ? v.replace(/\r\n?/g, "\n") : v).trim())
    .pipe(
      z
        .string()
        .min(min, missing)
        .max(max, `The ${what} must be ${max} characters or fewer.`),
    );
}

/**
 * Whether a mail domain ends in a number, as WHATWG URL parsing decides (its last label is decimal or 0x hex):
 * such a host is an IPv4 address, not a domain, and Autodiscover could not even form its URLs.
 */
export function domainEndsInNumber(domain: string): boolean {
  const labels = domain.toLowerCase().replace(/\.$/, "").split(".");
  const last = labels.at(-1) ?? "";
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/.test(last) || domain.includes(":");
}
