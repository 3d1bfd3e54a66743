import fs from "node:fs";
import type { Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";
import { databaseBytes, hits, recordResponses, SERVER_LOG } from "./helpers/leak";
import { connectionCard, createOnboardingWithLink, openStep, runConnectionTest, submitConnection } from "./helpers/workspace";
import { sim } from "../playwright.config";

/**
 * DRAFT (issue 5) — the lead enables it once <CredentialSection onboardingId=…/> is on the workspace page and
 * the e2e server's output is written to SERVER_LOG (e.g. `next start … 2>&1 | tee test-results/e2e-server-<port>.log`
 * in playwright.config.ts).
 *
 * A known password goes through the real form in Chromium; afterwards it must appear in none of: the SQLite
 * files' bytes, the server log, any HTTP response the browser received (bodies and headers), the final DOM,
 * web storage, cookies, the URL history, or the stored test logs (they live in the database) — in plain,
 * UTF-16, base64, URL-encoded or JSON-escaped form. Assertions count hits; they never print the password.
 */
const form = (page: Page) => page.getByRole("form", { name: "Connection details" });

test("a password submitted through the real form leaks nowhere", async ({ page }) => {
  const password = `Leak-Canary-${Date.now().toString(36)}-Zq!9 ü+/=`;
  const responses = recordResponses(page);
  const urls: string[] = [];
  page.on("framenavigated", (f) => urls.push(f.url()));

  const { url } = createOnboardingWithLink("Leak Test Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await openStep(page, "test");
  const f = form(page);
  await f.getByLabel("Service account address").fill("svc-moxi@leak.sim.test");
  await f.getByLabel("Service account password").fill(password);
  await f.getByRole("button", { name: "Show password" }).click();
  await expect(f.getByRole("button", { name: "Show password" })).toHaveAttribute("aria-pressed", "true");
  await f.getByLabel("Test mailbox address").fill("agent@healthy.sim.test");
  await f.getByLabel("EWS URL (optional)").fill(sim.ewsUrl);
  // The same details run the test, then are submitted without typing them again. The canary is not the
  // simulator's password, so the sign-in is refused: the test's log and the verification's both held it.
  await runConnectionTest(page, "failed");
  await submitConnection(page);
  await expect(page.getByTestId("onboarding-state")).toHaveText(/Submitted|Verifying|Needs attention/);

  // The masked preview after a reload.
  await page.reload();
  await expect(page.getByText(/password set on/)).toBeVisible();
  await expect(page.getByText("svc-moxi@leak.sim.test").first()).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // Let the automatic verification (if any) run and write its log.
  await page.waitForTimeout(3_000);

  const dom = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await page.context().cookies());
  const dbBytes = databaseBytes();
  const serverLog = fs.readFileSync(SERVER_LOG);

  expect(dbBytes.length).toBeGreaterThan(0);
  expect(hits(dbBytes, "svc-moxi@leak.sim.test"), "the search works on the database").toBeGreaterThan(0);
  expect({
    database: hits(dbBytes, password),
    serverLog: hits(serverLog, password),
    responses: responses.reduce((n, b) => n + hits(b, password), 0),
    dom: hits(dom, password),
    storage: hits(storage, password),
    cookies: hits(cookies, password),
    urls: hits(urls.join("\n"), password),
  }).toEqual({ database: 0, serverLog: 0, responses: 0, dom: 0, storage: 0, cookies: 0, urls: 0 });
});

test("bad input: specific field errors, a focused summary, and nothing typed is lost", async ({ page }) => {
  const { url } = createOnboardingWithLink("Bad Input Realty");
  await page.goto(url);
  await openStep(page, "test");
  const f = form(page);
  await f.getByLabel("Service account address").fill("svc-moxi@c\u043entoso.com");
  await f.getByLabel("Service account password").fill("pw\u200b");
  await f.getByLabel("Test mailbox address").fill("svc-moxi@c\u043entoso.com");
  await f.getByLabel("EWS URL (optional)").fill("http://mail.contoso.com/EWS/Exchange.asmx");
  await page.getByRole("button", { name: "Run the test" }).click();

  const summary = page.getByRole("alert").filter({ hasText: "Some fields need your attention." });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveCount(4);
  for (const [label, message] of [
    ["Service account address", /different alphabets/],
    ["Service account password", /invisible character/],
    ["Test mailbox address", /different alphabets/],
    ["EWS URL (optional)", /must start with https:\/\//],
  ] as const) {
    const field = f.getByLabel(label);
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(message);
  }
  expect(await axeViolations(page)).toEqual([]);
  await expect(f.getByLabel("Service account address")).toHaveValue("svc-moxi@c\u043entoso.com");
  // autocomplete values and paste allowed (WCAG 1.3.5, 3.3.8)
  await expect(f.getByLabel("Service account address")).toHaveAttribute("autocomplete", "username");
  await expect(f.getByLabel("Service account password")).toHaveAttribute("autocomplete", "current-password");
  await expect(f.getByLabel("Test mailbox address")).toHaveAttribute("autocomplete", "email");
  await expect(f.getByLabel("EWS URL (optional)")).toHaveAttribute("autocomplete", "url");
  const pasteBlocked = await f.getByLabel("Service account password").evaluate((el) => {
    const e = new ClipboardEvent("paste", { bubbles: true, cancelable: true });
    el.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(pasteBlocked).toBe(false);
});

test("a vendor link sees no saved details and cannot save", async ({ page, browser }) => {
  const { url } = createOnboardingWithLink("Vendor Save Realty");
  await page.goto(url);
  await page.getByLabel("Who is the link for?").fill("MSP");
  await page.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await page.getByTestId("vendor-link").textContent())!;
  const vendor = await browser.newContext();
  const vendorPage = await vendor.newPage();
  await vendorPage.goto(vendorUrl);
  await openStep(vendorPage, "test");
  // The vendor can type details to test, but there is no way to submit (save) them.
  await expect(connectionCard(vendorPage).getByRole("button", { name: "Run the test" })).toBeVisible();
  await expect(connectionCard(vendorPage).getByRole("button", { name: /Submit these details/ })).toHaveCount(0);
  await expect(vendorPage.getByText(/saved details are never shown to vendor links/)).toBeVisible();
  await vendor.close();
});
