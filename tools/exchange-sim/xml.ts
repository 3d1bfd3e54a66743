/**
 * A small XML reader for the simulator: enough to walk an EWS request by local element name, whatever
 * namespace prefixes the client chose (ews-javascript-api writes `m:`/`t:`, exchangelib `m:`/`t:` on a
 * different envelope, hand-written requests often none). Not a validating parser: a request it cannot read
 * is answered like Exchange answers one it cannot read (a SOAP fault), never with a crash.
 */
export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string };

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : all;
    }
    return ENTITIES[e] ?? all;
  });
}

const localName = (qname: string) => qname.slice(qname.indexOf(":") + 1);

/** Deeper than any EWS request; a hostile body nested deeper is refused before anything recurses over it. */
const MAX_DEPTH = 64;

/** Parses a document into its root element; throws on anything not well-formed enough to walk. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const tag = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const top = stack.at(-1)!;
    const between = source.slice(last, m.index);
    if (/[<>]/.test(between)) throw new Error("not well-formed");
    top.text += decode(between);
    last = tag.lastIndex;
    if (m[1] !== undefined) {
      top.text += m[1];
      continue;
    }
    if (!m[3]) continue; // comment, processing instruction, doctype
    const name = localName(m[3]);
    if (m[2]) {
      if (stack.length < 2 || stack.at(-1)!.name !== name) throw new Error("not well-formed");
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[4] ?? "").matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]!.startsWith("xmlns")) continue;
      attrs[localName(a[1]!)] = decode(a[2] ?? a[3] ?? "");
    }
    const el: XmlElement = { name, attrs, children: [], text: "" };
    top.children.push(el);
    if (!m[5]) {
      if (stack.length > MAX_DEPTH) throw new Error("nested too deeply");
      stack.push(el);
    }
  }
  if (stack.length !== 1 || /[<>]/.test(source.slice(last)) || root.children.length !== 1) throw new Error("not well-formed");
  return root.children[0]!;
}

/** The first descendant (depth-first) with this local name, following a path of names. */
export function find(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) {
    if (!cur) return undefined;
    cur = descend(cur, name);
  }
  return cur;
}

function descend(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.name === name) return c;
    const d = descend(c, name);
    if (d) return d;
  }
  return undefined;
}

/** Direct children with this local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Trimmed text of a direct child, or undefined. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}
