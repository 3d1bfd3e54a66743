import fs from "node:fs";
import path from "node:path";
import { inlineScriptHashes } from "./csp";

/**
 * The pages `next build` prerendered (the public guide, the home page) and the hashes of each one's inline
 * scripts, read once from the build output. Next serves these pages as built, so they cannot carry a
 * per-request nonce; the proxy gives them a policy naming their own script hashes instead.
 *
 * Pages whose path starts with `/_` (Next's internal not-found and error shells) are left out: Next serves
 * them under other addresses, which the proxy cannot tell apart from per-request pages. Our not-found page
 * is rendered per request for that reason.
 *
 * The hashes are read once per process, which holds because no page is regenerated after the build (no
 * `revalidate`); e2e/home.spec.ts fails if one ever is.
 */
export type PrerenderedPages = ReadonlyMap<string, readonly string[]>;

type PrerenderManifest = { routes?: Record<string, unknown> };

export function readPrerenderedPages(distDir: string): PrerenderedPages {
  const pages = new Map<string, readonly string[]>();
  let manifest: PrerenderManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(/*turbopackIgnore: true*/ distDir, "prerender-manifest.json"), "utf8")) as PrerenderManifest;
  } catch {
    return pages; // `next dev`, or no build yet: every page is rendered per request.
  }
  for (const route of Object.keys(manifest.routes ?? {})) {
    if (!route.startsWith("/") || route.startsWith("/_")) continue;
    const file = path.join(/*turbopackIgnore: true*/ distDir, "server", "app", `${route === "/" ? "/index" : route}.html`);
    let html: string;
    try {
      html = fs.readFileSync(file, "utf8");
    } catch {
      continue; // not an HTML page (an icon, a route handler's output)
    }
    pages.set(route, inlineScriptHashes(html));
  }
  return pages;
}

let cached: { distDir: string; pages: PrerenderedPages } | undefined;

/** The prerendered pages of the build this server runs, read on first use. */
export function prerenderedPages(): PrerenderedPages {
  const distDir = path.resolve(/*turbopackIgnore: true*/ process.env.NEXT_DIST_DIR || ".next");
  if (cached?.distDir !== distDir) cached = { distDir, pages: readPrerenderedPages(distDir) };
  return cached.pages;
}
