import fs from "node:fs";
import path from "node:path";
import type { Page, Response } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { e2eDataDir } from "./workspace";

/**
 * What the leak tests search and how: a secret in plain, UTF-16, base64, URL-encoded or JSON-escaped form, in the
 * e2e server's database files, its log (playwright.config.ts tees it), every response the browser received, the
 * DOM, web storage, cookies and URL history. Counts hits; never prints the secret.
 */
export const SERVER_LOG = `test-results/e2e-server-${new URL(baseURL).port}.log`;

export function forms(secret: string): Buffer[] {
  const utf8 = Buffer.from(secret, "utf8");
  return [utf8, Buffer.from(secret, "utf16le"), Buffer.from(utf8.toString("base64")), Buffer.from(encodeURIComponent(secret)), Buffer.from(JSON.stringify(secret).slice(1, -1))];
}

export function hits(haystack: Buffer | string, secret: string): number {
  const hay = typeof haystack === "string" ? Buffer.from(haystack) : haystack;
  return forms(secret).reduce((n, f) => n + (hay.includes(f) ? 1 : 0), 0);
}

/** Every response body and header the page receives (bodies read with a timeout: a live NDJSON stream may not end). */
export function recordResponses(page: Page): Buffer[] {
  const seen: Buffer[] = [];
  page.on("response", async (res: Response) => {
    seen.push(Buffer.from(JSON.stringify({ url: res.url(), headers: await res.allHeaders() })));
    const body = await Promise.race([res.body().catch(() => Buffer.alloc(0)), new Promise<Buffer>((r) => setTimeout(() => r(Buffer.alloc(0)), 5_000))]);
    seen.push(body);
  });
  return seen;
}

/** The e2e server's SQLite files (database and WAL) as one buffer. */
export function databaseBytes(): Buffer {
  const dataDir = e2eDataDir();
  return Buffer.concat(fs.readdirSync(dataDir).filter((n) => n.startsWith("onboarding.db")).map((n) => fs.readFileSync(path.join(dataDir, n))));
}
