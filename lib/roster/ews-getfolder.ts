import "server-only";
import { buildGetFolderRequest, checkFolders, FOLDERS, type EwsTarget, type FoldersCheck } from "@/lib/exchange/ews";
import { exchangesOf, type HttpClient, type HttpRequest, type HttpResponse } from "@/lib/exchange/http-client";

/**
 * The roster's GetFolder, cheap where it can be: profiling a 2,000-mailbox check showed most of the CPU in
 * ews-javascript-api building each request and parsing each answer with xmldom — twice, with the well-formedness
 * check — so a check of 50 mailboxes at once was CPU-bound, not latency-bound.
 * - The request is the library's own, built once per check with a stand-in address, then the mailbox's address
 *   put in its two places (the impersonation header and X-AnchorMailbox). Only for plain addresses (letters,
 *   digits, `. _ % + -`), which need no XML escaping; any other address goes through the library as before.
 * - An answer that is plainly "every folder opened" (HTTP 200, a balanced XML document with one Success/NoError
 *   GetFolderResponseMessage per folder and no fault) is read as such without the library. Anything else — an
 *   error, a fault, an HTTP status, a transport failure, XML that is not balanced — is handed to the library as
 *   the answer to its own request (not sent again), so its diagnosis is the probe's, unchanged.
 */
const STAND_IN = "roster-stand-in@example.invalid";
const PLAIN_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;

export type GetFolderTemplate = {
  /** The mailbox's request, or undefined when its address needs the library (escaping). */
  requestFor(address: string): HttpRequest | undefined;
};

export async function getFolderTemplate(target: Omit<EwsTarget, "testMailbox">): Promise<GetFolderTemplate | undefined> {
  const wire = await buildGetFolderRequest({ ...target, testMailbox: STAND_IN });
  const parts = wire.body.split(STAND_IN);
  const headerNames = Object.keys(wire.headers).filter((k) => wire.headers[k]!.includes(STAND_IN));
  // The shape this relies on: the address once in the body, once in one header (X-AnchorMailbox), exactly.
  if (parts.length !== 2 || headerNames.length !== 1 || wire.headers[headerNames[0]!] !== STAND_IN) return undefined;
  const [before, after] = parts as [string, string];
  const anchor = headerNames[0]!;
  // The library puts Basic credentials on the request; the client signs in itself (authenticate), as the recording layer asks.
  const headers = Object.fromEntries(Object.entries(wire.headers).filter(([k]) => k.toLowerCase() !== "authorization"));
  return {
    requestFor(address) {
      if (!PLAIN_ADDRESS.test(address)) return undefined;
      return { method: wire.method, url: wire.url, headers: { ...headers, [anchor]: address }, body: `${before}${address}${after}`, purpose: "ews-getfolder", authenticate: true };
    },
  };
}

const MESSAGE = /<(?:[\w.-]+:)?GetFolderResponseMessage\b([^>]*)>/g;
const NO_ERROR = /<(?:[\w.-]+:)?ResponseCode>\s*NoError\s*<\//g;
const FAULT = /<(?:[\w.-]+:)?Fault[\s>/]/;
const BAD_AMPERSAND = /&(?![A-Za-z][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)/;
const NAME = "[A-Za-z_][\\w.:-]*";
const ATTRIBUTES = `(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*`;
const TAG = new RegExp(`<(?:\\?[\\s\\S]*?\\?>|!--[\\s\\S]*?-->|!\\[CDATA\\[[\\s\\S]*?\\]\\]>|/(${NAME})\\s*>|(${NAME})(${ATTRIBUTES})\\s*(/?)>)`, "y");

/**
 * Whether the text is one balanced XML document: every tag closed in order, quoted attributes, no stray `<` or
 * `&`, one root, nothing but white space around it. Cheaper than a DOM; it does not check namespaces or a DTD
 * (a document with a DOCTYPE is refused here and left to the library).
 */
export function isBalancedXml(text: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk && (BAD_AMPERSAND.test(chunk) || (stack.length === 0 && chunk.trim()))) return false;
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(text);
    if (!m) return false;
    i = TAG.lastIndex;
    const [whole, closing, opening, attributes, selfClosed] = m;
    if (whole.startsWith("<?") || whole.startsWith("<!--")) continue;
    if (whole.startsWith("<![CDATA[")) {
      if (stack.length === 0) return false;
      continue;
    }
    if (attributes && BAD_AMPERSAND.test(attributes)) return false;
    if (closing) {
      if (stack.pop() !== closing) return false;
      continue;
    }
    if (stack.length === 0 && roots++ > 0) return false;
    if (!selfClosed) stack.push(opening!);
  }
  return stack.length === 0 && roots === 1;
}

/** HTTP 200 and every folder asked for opened, plainly (see above); anything else is for the library to read. */
export function everyFolderOpened(response: HttpResponse, folders = FOLDERS.length): boolean {
  if (response.status !== 200) return false;
  const body = response.body;
  if (FAULT.test(body)) return false;
  let messages = 0;
  for (const m of body.matchAll(MESSAGE)) {
    if (!/\bResponseClass\s*=\s*(["'])Success\1/.test(m[1]!)) return false;
    messages++;
  }
  if (messages !== folders) return false;
  if ((body.match(NO_ERROR)?.length ?? 0) !== folders) return false;
  return isBalancedXml(body);
}

export type RosterFolders = Pick<FoldersCheck, "failure" | "folders" | "exchanges">;

/** One mailbox's GetFolder: the plain request and answer when they are plain, the library otherwise. */
export async function checkMailboxFolders(client: HttpClient, target: EwsTarget, template: GetFolderTemplate | undefined): Promise<RosterFolders> {
  const request = template?.requestFor(target.testMailbox);
  if (!request) return checkFolders(client, target);
  let answered: () => Promise<HttpResponse>;
  try {
    const response = await client.request(request);
    if (everyFolderOpened(response)) return { folders: FOLDERS.map((f) => ({ folder: f.key, ok: true })), exchanges: exchangesOf(response) };
    answered = () => Promise.resolve(response);
  } catch (error) {
    answered = () => Promise.reject(error);
  }
  return checkFolders(client, target, answered);
}
