import { createHash } from "node:crypto";

/**
 * What lets a page's scripts run. A page rendered per request carries a fresh nonce that Next stamps on its
 * own scripts. A prerendered page was built before any request existed, so it carries no nonce: its inline
 * scripts are allowed by their hashes and its script files by coming from this origin.
 */
export type ScriptSources = { nonce: string } | { hashes: readonly string[] };

/** The Content-Security-Policy for every response: scripts and styles only from us, or carrying the nonce/hash. */
export function contentSecurityPolicy(scripts: ScriptSources, { dev = false, https = false } = {}): string {
  const scriptSrc =
    "nonce" in scripts
      ? `'self' 'nonce-${scripts.nonce}' 'strict-dynamic'`
      : ["'self'", ...scripts.hashes.map((hash) => `'${hash}'`)].join(" ");
  const styleSrc = dev ? "'self' 'unsafe-inline'" : "nonce" in scripts ? `'self' 'nonce-${scripts.nonce}'` : "'self'";
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}${dev ? " 'unsafe-eval'" : ""}`,
    `style-src ${styleSrc}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only over https: on plain http://localhost it would send the browser to an https port nobody serves.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * The CSP hash source (`sha256-…`) of every inline script in a page, in document order without repeats.
 * A script's text runs from its start tag to the first `</script` (HTML raw-text rules: React escapes any
 * `</script` inside its data), and the browser hashes exactly those characters as UTF-8.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  const startTag = /<script\b([^>]*)>/gi;
  for (let match = startTag.exec(html); match; match = startTag.exec(html)) {
    const attributes = match[1] ?? "";
    const bodyStart = match.index + match[0].length;
    const end = html.slice(bodyStart).search(/<\/script[\s/>]/i);
    if (end < 0) break;
    startTag.lastIndex = bodyStart + end;
    if (/\bsrc\s*=/i.test(attributes)) continue;
    // JSON and other data blocks are never executed, so they need no permission.
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
    if (type && !["text/javascript", "module", "application/javascript"].includes(type)) continue;
    const body = html.slice(bodyStart, bodyStart + end);
    hashes.add(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
  }
  return [...hashes];
}
