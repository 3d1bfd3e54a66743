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
  for (const path of ["/", "/api/health"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("object-src 'none'");
    expect(h["content-security-policy"]).not.toContain("unsafe-inline");
    expect(h["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("no-referrer");
    expect(h["x-powered-by"]).toBeUndefined();
  }
});

test("a fresh nonce per response", async ({ request }) => {
  const nonce = async () => (await request.get("/")).headers()["content-security-policy"]?.match(/nonce-([^']+)/)?.[1];
  expect(await nonce()).not.toEqual(await nonce());
});

test("health reports ok once the database is migrated", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
  expect(res.headers()["cache-control"]).toContain("no-store");
});

test("an unknown address gets our 404 page, clean under the CSP and axe", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});
