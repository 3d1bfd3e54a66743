import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { axeViolations, expect, test } from "./fixtures";

test("home page routes each kind of visitor and passes axe", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Connect your brokerage");
  await expect(page.getByRole("heading", { name: "Brokerage administrator" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the setup guide" })).toHaveAttribute("href", "/guide");
  await expect(page.getByRole("main").getByRole("link", { name: "Staff sign-in" })).toHaveAttribute("href", "/staff");
  await expect(page.getByRole("contentinfo").getByRole("link", { name: /contact moxiworks/i })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test("the skip link is first in tab order and moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/", "/guide", "/staff/sign-in", "/api/health", "/no-such-page"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' ('nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'|('sha256-[A-Za-z0-9+/=]{44}' ?)+);/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("object-src 'none'");
    expect(h["content-security-policy"]).not.toContain("unsafe-inline");
    expect(h["content-security-policy"]).not.toContain("unsafe-eval");
    expect(h["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("no-referrer");
    expect(h["x-powered-by"]).toBeUndefined();
  }
});

test("pages rendered per request get a fresh nonce each time", async ({ request }) => {
  for (const path of ["/staff/sign-in", "/no-such-page", "/guide/lotus-notes"]) {
    const nonce = async () => (await request.get(path)).headers()["content-security-policy"]?.match(/'nonce-([^']+)'/)?.[1];
    const first = await nonce();
    expect(first, path).toBeTruthy();
    expect(await nonce(), path).not.toEqual(first);
  }
});

test("prerendered pages are served as built, under a policy naming exactly their inline scripts", async ({ request }) => {
  // A query string (a campaign tag on a shared link) still gets the prerendered page and its policy.
  for (const path of ["/", "/guide", "/guide/microsoft-365", "/guide/exchange-server?utm_source=mail", "/guide/paste-log"]) {
    const res = await request.get(path);
    expect(res.headers()["x-nextjs-prerender"], `${path} is prerendered`).toBeTruthy();
    const csp = res.headers()["content-security-policy"] ?? "";
    expect(csp, path).not.toMatch(/nonce|strict-dynamic/);
    const allowed = [...csp.matchAll(/'(sha256-[^']+)'/g)].map((m) => m[1]).sort();
    // Hash the inline scripts of the page actually served (node:crypto here, not the app's own code).
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => `sha256-${createHash("sha256").update(m[1] ?? "").digest("base64")}`,
    );
    expect(inline.length, path).toBeGreaterThan(0);
    expect([...new Set(inline)].sort(), path).toEqual(allowed);
  }
});

test("no prerendered page is regenerated after the build (its policy's hashes are read once, from the build)", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(process.env.NEXT_DIST_DIR ?? ".next", "prerender-manifest.json"), "utf8")) as {
    routes: Record<string, { initialRevalidateSeconds: number | false }>;
  };
  const regenerated = Object.entries(manifest.routes).filter(([, r]) => r.initialRevalidateSeconds !== false).map(([route]) => route);
  // A page with `revalidate` would be rebuilt with new inline scripts that its policy does not name.
  expect(regenerated).toEqual([]);
  expect(Object.keys(manifest.routes)).toEqual(expect.arrayContaining(["/guide", "/guide/microsoft-365"]));
});

test("health reports ok once the database is migrated", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok" });
  expect(res.headers()["cache-control"]).toContain("no-store");
});

test("an unknown address gets our 404 page, clean under the CSP and axe", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test("an unknown API address answers JSON, whatever the method", async ({ request }) => {
  for (const [method, path] of [["GET", "/api/nope"], ["POST", "/api/v1/credentials"], ["DELETE", "/api/v2/credentials/x/y"]] as const) {
    const res = await request.fetch(path, { method });
    expect(res.status(), `${method} ${path}`).toBe(404);
    expect(res.headers()["content-type"]).toContain("application/json");
    expect(await res.json()).toEqual({ error: { code: "no_such_endpoint", message: expect.stringContaining("/api/v1/credentials/") } });
  }
});

