import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { inlineScriptHashes } from "./csp";
import { readPrerenderedPages } from "./prerendered-pages";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A build output laid out as `next build` writes it: the prerender manifest and server/app/<route>.html. */
function fakeBuild(routes: string[], pages: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prerendered-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "prerender-manifest.json"), JSON.stringify({ version: 4, routes: Object.fromEntries(routes.map((r) => [r, {}])) }));
  for (const [file, html] of Object.entries(pages)) {
    fs.mkdirSync(path.dirname(path.join(dir, "server", "app", file)), { recursive: true });
    fs.writeFileSync(path.join(dir, "server", "app", file), html);
  }
  return dir;
}

describe("readPrerenderedPages", () => {
  it("maps each prerendered page to the hashes of its inline scripts; / is index.html", () => {
    const guide = '<script src="/a.js"></script><script>one()</script><script>two()</script>';
    const dir = fakeBuild(["/", "/guide", "/guide/microsoft-365"], {
      "index.html": "<script>home()</script>",
      "guide.html": guide,
      "guide/microsoft-365.html": "<script>m365()</script>",
    });
    const pages = readPrerenderedPages(dir);
    expect([...pages.keys()].sort()).toEqual(["/", "/guide", "/guide/microsoft-365"]);
    expect(pages.get("/guide")).toEqual(inlineScriptHashes(guide));
    expect(pages.get("/guide")).toHaveLength(2);
    expect(pages.get("/")).toEqual(inlineScriptHashes("<script>home()</script>"));
  });

  it("leaves out Next's internal shells and routes without an HTML page", () => {
    const dir = fakeBuild(["/_not-found", "/_global-error", "/icon.svg", "/guide"], {
      "_not-found.html": "<script>nf()</script>",
      "_global-error.html": "<script>ge()</script>",
      "guide.html": "<script>g()</script>",
    });
    expect([...readPrerenderedPages(dir).keys()]).toEqual(["/guide"]);
  });

  it("knows no pages when there is no build or the manifest is unreadable (next dev renders every page per request)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prerendered-"));
    dirs.push(dir);
    expect(readPrerenderedPages(dir).size).toBe(0);
    fs.writeFileSync(path.join(dir, "prerender-manifest.json"), "{not json");
    expect(readPrerenderedPages(dir).size).toBe(0);
  });
});
