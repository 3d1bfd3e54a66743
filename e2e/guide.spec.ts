import type { Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";

// A reader goes through each track of the public guide in a real browser: ticks items, reloads and
// keeps them, types the addresses once, copies a personalised command, prints, and uses the keyboard.

const TRACKS = ["microsoft-365", "microsoft-365-reseller", "exchange-server", "hosted-exchange"] as const;

async function openGuide(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('[data-checklist-ready="true"]')).toBeAttached();
}

for (const track of TRACKS) {
  test(`${track}: tick, reload, keep progress; axe clean ticked and unticked`, async ({ page }) => {
    await openGuide(page, `/guide/${track}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Setup guide");
    expect(await axeViolations(page), "unticked").toEqual([]);

    const step1 = page.locator("#create-service-account-1");
    const step2 = page.locator("#grant-impersonation-2");
    const first = step1.getByRole("checkbox").first();
    const second = step2.getByRole("checkbox").first();
    await first.check();
    await second.check();
    await expect(page.locator("#create-service-account").getByRole("status").first()).toContainText(/: 1 of \d+ done/);
    await expect(page.getByText(/All steps: 2 of \d+ done/)).toBeVisible();

    // Every section carries its permanent id.
    for (const id of ["overview", "create-service-account", "grant-impersonation", "password-never-expires", "test-impersonation", "troubleshoot-impersonation", "allow-basic-auth", "conditional-access", "find-ews-url", "related-resources"]) {
      await expect(page.locator(`section#${id}`), id).toHaveCount(1);
    }
    expect(await axeViolations(page), "ticked").toEqual([]);

    await page.reload();
    await expect(page.locator('[data-checklist-ready="true"]')).toBeAttached();
    await expect(first).toBeChecked();
    await expect(second).toBeChecked();
    await expect(page.getByText(/All steps: 2 of \d+ done/)).toBeVisible();

    await second.uncheck();
    await page.reload();
    await expect(page.locator('[data-checklist-ready="true"]')).toBeAttached();
    await expect(second).not.toBeChecked();
    await expect(first).toBeChecked();
  });
}

test("progress is kept per track", async ({ page }) => {
  await openGuide(page, "/guide/exchange-server");
  await page.locator("#password-never-expires-2").getByRole("checkbox").first().check();
  await openGuide(page, "/guide/hosted-exchange");
  await expect(page.locator("#password-never-expires-2").getByRole("checkbox").first()).not.toBeChecked();
});

test("addresses typed once fill every command, and the copy button copies the personalised command", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openGuide(page, "/guide/exchange-server");
  const command = page.locator("#grant-impersonation-2 pre[data-command]");
  await expect(command).toContainText("-User {service account}");

  await page.getByLabel("Service account address").fill("not an address");
  await expect(page.getByText("Enter a full email address")).toBeVisible();
  await expect(command).toContainText("{service account}");

  await page.getByLabel("Service account address").fill("moxi-svc@brokerage.example");
  await page.getByLabel("Test mailbox address").fill("agent@brokerage.example");
  await expect(command).toHaveText("New-ManagementRoleAssignment -Name MoxiEngageImpersonation -Role ApplicationImpersonation -User moxi-svc@brokerage.example");
  await expect(page.locator("#test-impersonation-1")).toContainText("{test mailbox}"); // prose keeps the placeholder name

  await page.locator("#grant-impersonation-2").getByRole("button", { name: "Copy command: grant ApplicationImpersonation" }).click();
  await expect(page.locator("#grant-impersonation-2").getByRole("status")).toHaveText("Copied to the clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    "New-ManagementRoleAssignment -Name MoxiEngageImpersonation -Role ApplicationImpersonation -User moxi-svc@brokerage.example",
  );

  // The values stay for the tab (sessionStorage) and reach other tracks' pages too.
  await openGuide(page, "/guide/microsoft-365");
  await expect(page.getByLabel("Service account address")).toHaveValue("moxi-svc@brokerage.example");
  await expect(page.locator("#password-never-expires-10 pre[data-command]").first()).toHaveText(
    "Set-AzureADUser -ObjectId moxi-svc@brokerage.example -PasswordPolicies DisablePasswordExpiration",
  );
  await expect(page.locator("#password-never-expires-10 pre[data-command]").nth(1)).toHaveText(
    "Update-MgUser -UserId moxi-svc@brokerage.example -PasswordPolicies DisablePasswordExpiration",
  );
  expect(await axeViolations(page)).toEqual([]);
});

test("the Microsoft 365 track marks retired steps with dated notes", async ({ page }) => {
  await openGuide(page, "/guide/microsoft-365#grant-impersonation-6");
  const step6 = page.locator("#grant-impersonation-6");
  await expect(step6).toBeInViewport();
  await expect(step6.getByRole("note").first()).toContainText("Microsoft change, February 2025");
  await expect(page.locator("#allow-basic-auth-13").getByRole("note")).toContainText("1 October 2022");
  await expect(page.locator("#password-never-expires-10")).toContainText("Update-MgUser");
  await step6.getByRole("link", { name: "What Microsoft changed, and sources" }).click();
  await expect(page.locator("#microsoft-change-impersonation-removed")).toBeInViewport();
  await expect(page.locator("#microsoft-change-impersonation-removed")).toContainText("MC718754");
  await expect(page.getByRole("img", { name: /Add a user form/ })).toBeVisible();
});

test("the reseller track says what cannot be done and what to ask", async ({ page }) => {
  await openGuide(page, "/guide/microsoft-365-reseller");
  await expect(page.locator("section#reseller")).toContainText("you typically cannot");
  await expect(page.locator("#reseller-2 pre[data-command]")).toContainText("Global Administrator");
});

test("print gives every step expanded, commands whole, and no buttons", async ({ page }) => {
  await openGuide(page, "/guide/microsoft-365");
  const sample = page.locator("#allow-basic-auth-16 details pre");
  await expect(sample).toBeHidden();
  await page.emulateMedia({ media: "print" });
  await expect(sample).toBeVisible();
  await expect(sample).toContainText("AllowBasicAuthWebServices          : True");
  await expect(page.locator("#microsoft-change-impersonation-removed")).toContainText("MC718754");
  await expect(page.getByRole("button", { name: "Print / save as PDF" })).toBeHidden();
  await expect(page.getByRole("button", { name: /^Copy command/ }).first()).toBeHidden();
  await expect(page.getByLabel("Service account address")).toBeHidden();
  const wrap = await page.locator("pre[data-command]").first().evaluate((el) => getComputedStyle(el).whiteSpace);
  expect(wrap).toBe("pre-wrap");
  await page.emulateMedia({ media: "screen" });
  await expect(sample).toBeHidden();
});

test("keyboard only: tab to a checkbox and tick it with Space", async ({ page }) => {
  await openGuide(page, "/guide/hosted-exchange");
  await page.locator("#grant-impersonation-3 h4 a").focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === "checkbox")) break;
  }
  const focused = page.locator("#grant-impersonation-3 input[type=checkbox]:focus");
  await expect(focused).toHaveCount(1);
  await page.keyboard.press("Space");
  await expect(focused).toBeChecked();
  const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Space");
  await expect(focused).not.toBeChecked();
});

test("the guide index offers the tracks and a not-sure helper, and passes axe", async ({ page }) => {
  await page.goto("/guide");
  for (const name of ["Microsoft 365 (Exchange Online)", "Exchange Server on premises"]) {
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  }
  // The address lookup comes first (e2e/detect.spec.ts); the MX paste helper is the offline fallback behind it.
  await expect(page.getByLabel("Your email address or domain")).toBeVisible();
  await page.getByText("Or work it out yourself from the MX (mail) record").click();
  await page.getByLabel("Paste the MX lookup output").fill("yourdomain.com  mail exchanger = 0 yourdomain-com.mail.protection.outlook.com.");
  await page.getByRole("button", { name: "Suggest a track" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Likely:" })).toContainText("Likely: Microsoft 365 (Exchange Online)");
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("link", { name: "Exchange Server on premises", exact: true }).click();
  await expect(page).toHaveURL(/\/guide\/exchange-server$/);
});

test("an unknown track is a 404 that lists the tracks, and its links work under the CSP", async ({ page }) => {
  for (const path of ["/guide/lotus-notes", "/guide/microsoft-365/extra"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("There is no guide at this address");
    expect(await axeViolations(page)).toEqual([]);
  }
  // A script the policy refused would be a console error, which fails the test (fixtures.ts).
  await page.getByRole("link", { name: /^Hosted Exchange/ }).click();
  await expect(page).toHaveURL(/\/guide\/hosted-exchange$/);
});
