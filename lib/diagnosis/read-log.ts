// Turns pasted or generated log text into clean logical lines. Pasted RCA logs arrive with CRLF,
// header values wrapped over several lines, doubled or lost blank lines, tabs and non-breaking
// spaces, the page's "Expand All" buttons and other browser chrome — sometimes in another language,
// sometimes with binary junk from a bad copy. Everything here is linear in the input size.

/** Input beyond this many characters is ignored (a full RCA log is well under 200 KB). */
export const MAX_LOG_CHARS = 1_048_576;
/** Lines longer than this are cut for matching and evidence (one giant SOAP body on one line). */
const MAX_LINE_CHARS = 8_000;

// Page chrome of the Remote Connectivity Analyzer (and the browsers' own), in the languages the
// analyzer is offered in. They never carry a signal; dropping them keeps evidence clean.
const CHROME_LINES = new Set(
  [
    "expand all",
    "collapse all",
    "alle erweitern",
    "alle reduzieren",
    "alle einblenden",
    "tout développer",
    "tout réduire",
    "expandir todo",
    "contraer todo",
    "expandir tudo",
    "recolher tudo",
    "espandi tutto",
    "comprimi tutto",
    "alles uitvouwen",
    "alles samenvouwen",
    "развернуть все",
    "свернуть все",
    "すべて展開",
    "すべて折りたたむ",
    "全部展开",
    "全部折叠",
    "모두 확장",
    "모두 축소",
    "test steps",
    "connectivity tests",
    "```",
  ].map((s) => s.toLowerCase()),
);

const MAX_CHROME_CHARS = Math.max(...[...CHROME_LINES].map((s) => s.length));

// `Name: value` header lines (RFC 7230 token, as RCA and our log print them).
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9_-]{0,62}\s?:\s/;
// Control characters except tab/newline, the Unicode replacement char and other junk from binary pastes.
const JUNK = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFEFF]+/g;
const ANY_JUNK = new RegExp(JUNK.source);
const SPACES = /[\s\u00A0\u2000-\u200B\u202F\u205F\u3000]+/g;
// Cheap check whether a line needs SPACES at all (most lines have single ASCII spaces only).
const ODD_SPACES = /[\t\v\f\u00A0\u2000-\u200B\u202F\u205F\u3000]| {2}/;

export interface LogLine {
  /** The cleaned line (single spaces, trimmed, wrapped header values joined). */
  text: string;
  /** `text` in lower case, for case-insensitive matching. */
  lower: string;
  /** Lower-case header name when the line is `Name: value`. */
  headerName?: string;
}

function looksLikeContinuation(raw: string, cleaned: string): boolean {
  // Folded header (obsolete RFC 7230 line folding) or a value that wrapped in the browser: RCA wraps
  // X-AutoDiscovery-Error values at '<', '+', 'Ts=' without spaces in them.
  if (/^[ \t]/.test(raw)) return true;
  if (HEADER_LINE.test(cleaned)) return false;
  return !cleaned.includes(" ") || /^[<>+=;,)"']/.test(cleaned);
}

export function readLog(input: string): LogLine[] {
  const text = input.length > MAX_LOG_CHARS ? input.slice(0, MAX_LOG_CHARS) : input;
  // Copy the text only when it needs it: most logs have neither junk nor CR line ends.
  const clean = ANY_JUNK.test(text) ? text.replace(JUNK, " ") : text;
  const rawLines = (clean.includes("\r") ? clean.replace(/\r\n?/g, "\n") : clean).split("\n");
  const lines: LogLine[] = [];
  // Logs repeat lines a lot; reuse the lower-case copy of a line already seen.
  const lowerOf = new Map<string, string>();
  let previousIsHeader = false;

  for (const raw of rawLines) {
    let cleaned = (ODD_SPACES.test(raw) ? raw.replace(SPACES, " ") : raw).trim();
    if (cleaned.length === 0) {
      // A blank line ends a header block.
      previousIsHeader = false;
      continue;
    }
    if (cleaned.length > MAX_LINE_CHARS) cleaned = cleaned.slice(0, MAX_LINE_CHARS);
    let lower = lowerOf.get(cleaned);
    if (lower === undefined) {
      lower = cleaned.toLowerCase();
      lowerOf.set(cleaned, lower);
    }
    if (lower.length <= MAX_CHROME_CHARS && CHROME_LINES.has(lower)) continue;

    const last = lines[lines.length - 1];
    if (previousIsHeader && last && looksLikeContinuation(raw, cleaned) && last.text.length < MAX_LINE_CHARS) {
      last.text = `${last.text}${/^[ \t]/.test(raw) ? " " : ""}${cleaned}`;
      last.lower = last.text.toLowerCase();
      continue;
    }

    const isHeader = HEADER_LINE.test(cleaned);
    const line: LogLine = { text: cleaned, lower };
    if (isHeader) line.headerName = cleaned.slice(0, cleaned.indexOf(":")).trim().toLowerCase();
    lines.push(line);
    previousIsHeader = isHeader;
  }
  return lines;
}
