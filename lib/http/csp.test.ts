import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, inlineScriptHashes } from "./csp";

// Expected hashes computed outside the code under test: printf '<script text>' | openssl dgst -sha256 -binary | base64
const ALERT = "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=";
const NEXT_PUSH_UTF8 = "sha256-dv0JtpxmHXrDI1gjYAA39VMc738BDF21voU1xCV8A70=";

describe("inlineScriptHashes", () => {
  it("hashes the exact text of each inline script as UTF-8", () => {
    expect(inlineScriptHashes("<p>x</p><script>alert(1)</script>")).toEqual([ALERT]);
    expect(inlineScriptHashes('<script id="_R_">self.__next_f.push([1,"é"])</script>')).toEqual([NEXT_PUSH_UTF8]);
  });

  it("skips script files and data blocks, and lists a repeated script once", () => {
    const html = [
      '<script src="/_next/static/chunks/a.js" async=""></script>',
      '<script type="application/json">{"a":1}</script>',
      '<script type="application/ld+json">{}</script>',
      "<script>alert(1)</script>",
      '<script type="text/javascript">alert(1)</script>',
    ].join("");
    expect(inlineScriptHashes(html)).toEqual([ALERT]);
  });

  it("ends a script at the first closing tag whatever its case or spacing, as browsers do", () => {
    expect(inlineScriptHashes("<SCRIPT>alert(1)</SCRIPT >")).toEqual([ALERT]);
    expect(inlineScriptHashes("<script>alert(1)</script/><script>alert(1)</script>")).toEqual([ALERT]);
    // A text that merely mentions "</scripts" does not end the script.
    expect(inlineScriptHashes("<script>a='</scripts'</script>")).toHaveLength(1);
    expect(inlineScriptHashes("<script>a='</scripts'</script>")).not.toEqual([ALERT]);
  });

  it("finds nothing in a page without inline scripts, or in an unterminated one", () => {
    expect(inlineScriptHashes("<html><body>hi</body></html>")).toEqual([]);
    expect(inlineScriptHashes("<script>alert(1)")).toEqual([]);
  });
});

describe("contentSecurityPolicy", () => {
  it("a per-request page: nonce and strict-dynamic, nothing inline", () => {
    const csp = contentSecurityPolicy({ nonce: "abc" });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("style-src 'self' 'nonce-abc'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|sha256/);
  });

  it("a prerendered page: its own script hashes, no nonce, nothing inline", () => {
    const csp = contentSecurityPolicy({ hashes: [ALERT] });
    expect(csp).toContain(`script-src 'self' '${ALERT}';`);
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toMatch(/nonce|strict-dynamic|unsafe-inline|unsafe-eval/);
  });

  it("keeps the fixed directives in both, and upgrades requests only over https", () => {
    for (const scripts of [{ nonce: "n" }, { hashes: [] }]) {
      const csp = contentSecurityPolicy(scripts);
      for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain("upgrade-insecure-requests");
      expect(contentSecurityPolicy(scripts, { https: true })).toContain("upgrade-insecure-requests");
    }
  });

  it("development adds eval for React's error overlay and inline styles for its dev tools", () => {
    expect(contentSecurityPolicy({ nonce: "n" }, { dev: true })).toMatch(/script-src [^;]*'unsafe-eval'/);
    expect(contentSecurityPolicy({ nonce: "n" }, { dev: true })).toMatch(/style-src 'self' 'unsafe-inline'/);
  });
});
