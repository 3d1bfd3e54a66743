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
// Runs of horizontal white space (any but a single ASCII space) become one space, in the whole text at once.
const ODD_SPACE = String.raw`\t\v\f\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000`;
const SPACES = new RegExp(`[ ${ODD_SPACE}]{2,}|[${ODD_SPACE}]`, "g");

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

// The RCA page copied as HTML, or XML pasted HTML-escaped: the entities are decoded (tags stay: SOAP faults and
// Autodiscover errors carry their codes in them).
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'", "#x27": "'", "#34": '"', "#x2f": "/", "#47": "/" };
const ENTITY = /&(amp|lt|gt|quot|apos|nbsp|#39|#x27|#34|#x2f|#47);/gi;
const ANY_ENTITY = new RegExp(ENTITY.source, "i");
// HTML line breaks and block ends become line ends, so an RCA page's steps stay separate lines.
const HTML_BREAK = /<\/(?:p|div|li|tr|h[1-6]|td)>|<br\s*\/?>/gi;
const ANY_HTML_BREAK = new RegExp(HTML_BREAK.source, "i");

function decodeHtml(text: string): string {
  let out = ANY_HTML_BREAK.test(text) ? text.replace(HTML_BREAK, "\n") : text;
  // Twice: "&amp;lt;" in a page that shows escaped XML.
  for (let i = 0; i < 2 && ANY_ENTITY.test(out); i++) out = out.replace(ENTITY, (_, name: string) => ENTITIES[name.toLowerCase()] ?? "");
  return out;
}

// A line of exactly the Windows console's width (80, or PowerShell's 120) followed by a non-blank line: the console
// wrapped it there, mid-word ("The remote server retur" / "ned an error: (401) Unauthorized."). The parts are put back
// together with nothing between them (nothing was inserted at the wrap). The widths are measured before white space is
// normalised (one indexOf walk, no copy); normalising keeps the line numbers.
function fullWidthLines(text: string): Set<number> {
  const lines = new Set<number>();
  let start = 0;
  let line = 0;
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    const width = end - start;
    if (width === 80 || width === 120) lines.add(line);
    line++;
    start = end + 1;
  }
  return lines;
}

export function readLog(input: string): LogLine[] {
  const capped = input.length > MAX_LOG_CHARS ? input.slice(0, MAX_LOG_CHARS) : input;
  const text = decodeHtml(capped);
  // Copy the text only when it needs it: most logs have neither junk nor CR line ends.
  const clean = ANY_JUNK.test(text) ? text.replace(JUNK, " ") : text;
  const lf = clean.includes("\r") ? clean.replace(/\r\n?/g, "\n") : clean;
  const fullWidth = fullWidthLines(lf);
  const normalized = lf.replace(SPACES, " ");
  const rawLines = normalized.split("\n");
  // One toLowerCase() for the whole text is far cheaper than one per line; used line by line where the
  // lower-case line has the raw line's length (always, but for a few Unicode letters such as "İ").
  const lowerText = normalized.toLowerCase();
  const lowerLines = lowerText.length === normalized.length ? lowerText.split("\n") : undefined;
  const lines: LogLine[] = [];
  let previousIsHeader = false;

  for (let i = 0; i < rawLines.length; i++) {
    let raw = rawLines[i]!;
    let lowerRaw = lowerLines?.[i];
    // Console wraps: join the following segments while the segment before each was exactly the console's width.
    while (fullWidth.has(i) && i + 1 < rawLines.length && rawLines[i + 1] !== "") {
      const next = rawLines[++i]!;
      raw += next;
      if (lowerRaw !== undefined) lowerRaw += lowerLines![i]!;
    }
    let cleaned = raw.trim();
    if (cleaned.length === 0) {
      // A blank line ends a header block.
      previousIsHeader = false;
      continue;
    }
    if (cleaned.length > MAX_LINE_CHARS) cleaned = cleaned.slice(0, MAX_LINE_CHARS);
    let lower: string;
    if (lowerRaw !== undefined && lowerRaw.length === raw.length) {
      lower = lowerRaw.trim();
      if (lower.length > MAX_LINE_CHARS) lower = lower.slice(0, MAX_LINE_CHARS);
    } else {
      lower = cleaned.toLowerCase();
    }
    if (lower.length <= MAX_CHROME_CHARS && CHROME_LINES.has(lower)) continue;

    const last = lines[lines.length - 1];
    if (previousIsHeader && last && looksLikeContinuation(raw, cleaned) && last.text.length < MAX_LINE_CHARS) {
      const sep = /^[ \t]/.test(raw) ? " " : "";
      last.text = `${last.text}${sep}${cleaned}`;
      // Lower-casing the joined parts, not the whole line again: a long folded value stays linear.
      last.lower = `${last.lower}${sep}${lower}`;
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
