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

const GT = 62; // >
const SLASH = 47;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
const ENTITY = /^&(?:[A-Za-z][\w.-]*|#\d+|#x[0-9A-Fa-f]+);/;
/** Every `&` in text[from, to) starts an entity or character reference. */
function ampersandsOk(text: string, from: number, to: number): boolean {
  for (let a = text.indexOf("&", from); a >= 0 && a < to; a = text.indexOf("&", a + 1)) {
    const semi = text.indexOf(";", a);
    if (semi < 0 || semi >= to || !ENTITY.test(text.slice(a, semi + 1))) return false;
  }
  return true;
}

/** What the scan saw of the elements the GetFolder answer is judged by. */
type Seen = { messages: number; successes: number; noErrors: number; fault: boolean };

/**
 * One pass over the text: whether it is one balanced XML document (every tag closed in order, quoted attributes,
 * no stray `<` or `&`, one root, nothing but white space around it), and what it says of the GetFolder answer.
 * Cheaper than a DOM; it does not check namespaces or a DTD (a DOCTYPE is refused here and left to the library).
 */
function scan(text: string, seen?: Seen): boolean {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  let inResponseCode = false;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf("<", i);
    const to = lt < 0 ? n : lt;
    if (to > i) {
      if (stack.length === 0) {
        for (let k = i; k < to; k++) if (!isSpace(text.charCodeAt(k))) return false;
      } else if (!ampersandsOk(text, i, to)) return false;
      if (inResponseCode && seen && text.slice(i, to).trim() === "NoError") seen.noErrors++;
    }
    inResponseCode = false;
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      const e = text.indexOf("?>", lt + 2);
      if (e < 0) return false;
      i = e + 2;
      continue;
    }
    if (c === 33 /* ! */) {
      if (text.startsWith("<!--", lt)) {
        const e = text.indexOf("-->", lt + 4);
        if (e < 0) return false;
        i = e + 3;
        continue;
      }
      if (text.startsWith("<![CDATA[", lt) && stack.length > 0) {
        const e = text.indexOf("]]>", lt + 9);
        if (e < 0) return false;
        i = e + 3;
        continue;
      }
      return false; // DOCTYPE and the like
    }
    let j = lt + 1;
    const closing = c === SLASH;
    if (closing) j++;
    const nameStart = j;
    if (!isNameStart(text.charCodeAt(j))) return false;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(nameStart, j);
    if (closing) {
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== GT || stack.pop() !== name) return false;
      i = j + 1;
      continue;
    }
    const colon = name.indexOf(":");
    const local = colon >= 0 ? name.slice(colon + 1) : name;
    const isMessage = local === "GetFolderResponseMessage";
    let success = false;
    let selfClosed = false;
    for (;;) {
      const before = j;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const d = text.charCodeAt(j);
      if (d === GT) break;
      if (d === SLASH) {
        if (text.charCodeAt(j + 1) !== GT) return false;
        selfClosed = true;
        j++;
        break;
      }
      if (j === before || !isNameStart(d)) return false; // attributes are separated by white space
      const attrStart = j;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const attr = text.slice(attrStart, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 61 /* = */) return false;
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q !== 34 && q !== 39) return false;
      const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
      if (close < 0) return false;
      const lt2 = text.indexOf("<", j + 1);
      if (lt2 >= 0 && lt2 < close) return false;
      if (!ampersandsOk(text, j + 1, close)) return false;
      if (isMessage && attr === "ResponseClass") success = text.slice(j + 1, close) === "Success";
      j = close + 1;
    }
    if (j >= n) return false;
    i = j + 1;
    if (stack.length === 0 && roots++ > 0) return false;
    if (seen) {
      if (isMessage) {
        seen.messages++;
        if (success) seen.successes++;
      } else if (local === "Fault") seen.fault = true;
      else if (local === "ResponseCode" && !selfClosed) inResponseCode = true;
    }
    if (!selfClosed) stack.push(name);
  }
  return stack.length === 0 && roots === 1;
}

export function isBalancedXml(text: string): boolean {
  return scan(text);
}

/** HTTP 200 and every folder asked for opened, plainly (see above); anything else is for the library to read. */
export function everyFolderOpened(response: Pick<HttpResponse, "status" | "body">, folders = FOLDERS.length): boolean {
  if (response.status !== 200) return false;
  const seen: Seen = { messages: 0, successes: 0, noErrors: 0, fault: false };
  if (!scan(response.body, seen)) return false;
  return !seen.fault && seen.messages === folders && seen.successes === folders && seen.noErrors === folders;
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
