import { randomBytes } from "node:crypto";
import { axeViolations, expect, test } from "./fixtures";
import { signInStaff, signUpStaff } from "./helpers/staff";
import { chooseHost, createOnboardingWithLink } from "./helpers/workspace";

const suffix = () => randomBytes(3).toString("hex");

test("staff pages refuse anonymous visitors and workspace cookies", async ({ page }) => {
  const { id, url } = createOnboardingWithLink(`Door Test ${suffix()}`);
  for (const path of ["/staff", "/staff/audit", "/staff/onboardings/new", `/staff/onboardings/${id}`]) {
    await page.goto(path);
    await expect(page, `anonymous ${path}`).toHaveURL(/\/staff\/sign-in$/);
  }
  // A brokerage's workspace cookie is not a staff session.
  await page.goto(url);
  await expect(page).toHaveURL(/\/o$/);
  for (const path of ["/staff", `/staff/onboardings/${id}`, "/staff/audit"]) {
    await page.goto(path);
    await expect(page, `workspace cookie ${path}`).toHaveURL(/\/staff\/sign-in$/);
  }
  await expect(page.getByRole("navigation", { name: "Staff" })).toHaveCount(0);
});

test("staff create an onboarding, copy its link, find it, manage links, record contact and read the audit log", async ({ page, browser, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const account = await signUpStaff(page);
  const res = await page.goto("/staff");
  expect(res?.headers()["cache-control"]).toContain("no-store");
  await expect(page.getByTestId("staff-user")).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // New onboarding: the form explains mistakes, then shows the invite link once.
  const name = `Harborview <Realty> & Sons ${suffix()}`;
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "New onboarding" }).click();
  await expect(page.getByRole("heading", { name: "New onboarding", level: 1 })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Create onboarding and invite link" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Some fields need your attention." })).toBeVisible();
  await expect(page.getByText("Enter the brokerage name.").first()).toBeVisible();
  await expect(page).toHaveTitle(/New onboarding/);
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel("Brokerage name").fill(name);
  await page.getByLabel("Contact's name").fill("Ada Admin");
  await page.getByLabel("Contact's email address").fill("ada@harborview.test");
  await page.getByLabel("Notes (optional)").fill("Met at the spring conference.");
  await page.getByRole("button", { name: "Create onboarding and invite link" }).click();
  const inviteUrl = (await page.getByTestId("invite-link").textContent())!;
  expect(inviteUrl).toMatch(/\/o\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Copy invite link" }).click();
  await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(inviteUrl);
  // After an action the page refreshes in place; let it settle (title included) before axe reads it.
  await expect(page).toHaveTitle(/New onboarding/);
  expect(await axeViolations(page)).toEqual([]);

  // The brokerage opens it in its own browser and picks a track.
  const brokerage = await browser.newContext();
  const brokeragePage = await brokerage.newPage();
  await brokeragePage.goto(inviteUrl);
  await chooseHost(brokeragePage, "Exchange Server on premises");

  // Dashboard: search, filter by state (plain GET forms: the URL carries the filters).
  await page.goto("/staff");
  await page.getByRole("searchbox", { name: "Search" }).fill("harborview <realty>");
  await page.getByRole("combobox", { name: "State" }).selectOption("in_progress");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]q=harborview/);
  await expect(page).toHaveURL(/[?&]state=in_progress/);
  await expect(page.getByTestId("onboardings-table").getByRole("link", { name })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("combobox", { name: "State" }).selectOption("verified");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("list-summary")).toContainText("No onboardings");
  await page.goto(`/staff?q=${encodeURIComponent("harborview <realty>")}`);
  await page.getByTestId("onboardings-table").getByRole("link", { name }).click();

  // Detail: who did what, and the brokerage's choice in the timeline.
  await expect(page.getByTestId("brokerage-name")).toHaveText(name);
  await expect(page.getByTestId("detail-state")).toHaveText("In progress");
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByText("Mail system chosen: Exchange Server on premises")).toBeVisible();
  await expect(timeline.getByText("Brokerage admin (brokerage)").first()).toBeVisible();
  await expect(page.locator("#test-runs")).toContainText("No connection test has run yet");
  expect(await axeViolations(page)).toEqual([]);
  const detailUrl = page.url();

  // Links: extend, make a vendor link, turn it off, replace the brokerage link.
  const links = page.getByTestId("links-table");
  await links.getByLabel(/Days to extend the brokerage link/).fill("10");
  await links.getByRole("button", { name: /Extend the brokerage link/ }).click();
  await expect(page.getByText(/Link extended by 10 days: it now works until \d{4}-\d{2}-\d{2}\./)).toBeVisible();

  await page.getByLabel("Who is the link for?").fill("GoDaddy support");
  await page.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await page.getByTestId("vendor-link").textContent())!;
  expect(vendorUrl).toMatch(/\/o\/[A-Za-z0-9_-]{43}$/);
  await expect(links.locator('tr[data-link-kind="vendor"]')).toHaveAttribute("data-link-status", "active");
  await links.getByRole("button", { name: "Turn off the vendor link “GoDaddy support”" }).click();
  await expect(page.getByText("The link no longer works.")).toBeVisible();
  await expect(links.locator('tr[data-link-kind="vendor"]')).toHaveAttribute("data-link-status", "revoked");

  await links.getByRole("button", { name: /Make a new link replacing the brokerage link/ }).first().click();
  const newInvite = (await page.getByTestId("regenerated-link").textContent())!;
  expect(newInvite).toMatch(/\/o\/[A-Za-z0-9_-]{43}$/);
  expect(newInvite).not.toBe(inviteUrl);
  await expect(links.locator('tr[data-link-kind="brokerage"][data-link-status="revoked"]')).toHaveCount(1);
  await expect(links.locator('tr[data-link-kind="brokerage"][data-link-status="active"]')).toHaveCount(1);
  // The brokerage's old cookie and old link stop working; the new link works.
  await brokeragePage.reload();
  await expect(brokeragePage.getByRole("heading", { name: "Open your workspace from its link" })).toBeVisible();
  await brokeragePage.goto(inviteUrl);
  await expect(brokeragePage.getByRole("heading", { name: "This link is no longer active" })).toBeVisible();
  await brokeragePage.goto(newInvite);
  await expect(brokeragePage.getByRole("heading", { level: 1 })).toHaveText(name);
  await brokerage.close();

  // Contact and staff notes land in the timeline, verbatim.
  await page.getByLabel("How were you in touch?").selectOption("phone");
  await page.getByLabel("What was said or agreed").fill("Called Ada: <b>service account</b> ready Friday.");
  await page.getByRole("button", { name: "Record contact" }).click();
  await expect(page.getByText("Contact recorded in the timeline.")).toBeVisible();
  await page.getByLabel("Note for colleagues").fill("Prefers email after 3pm.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Note saved. Only MoxiWorks staff can see it.")).toBeVisible();
  await page.reload();
  await expect(timeline.getByText("Contact recorded: phone call")).toBeVisible();
  await expect(timeline.getByText("Called Ada: <b>service account</b> ready Friday.")).toBeVisible();
  await expect(timeline.getByText(/Brokerage link extended to \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expect(timeline.getByText(/Vendor link “GoDaddy support” turned off/)).toBeVisible();
  await expect(timeline.getByText(account.email.split("@")[0]!).first()).toBeVisible();
  await expect(page).toHaveTitle(/Onboarding/);
  expect(await axeViolations(page)).toEqual([]);

  // Audit log: filter by event type and onboarding.
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("combobox", { name: "Event" }).selectOption("contact_note");
  await page.getByRole("searchbox", { name: "Onboarding" }).fill("harborview");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/type=contact_note/);
  const audit = page.getByTestId("audit-table");
  await expect(audit.locator("tbody tr")).toHaveCount(1);
  await expect(audit.getByText("Contact recorded: phone call")).toBeVisible();
  await page.getByRole("combobox", { name: "Who" }).selectOption("vendor");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("audit-summary")).toHaveText("No events match these filters.");
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/staff/audit?q=harborview&from=${today}&to=${today}&actor=staff`);
  await expect(audit.locator('tr[data-event-type="link_extended"]')).toHaveCount(1);
  expect(await axeViolations(page)).toEqual([]);
  // Keyset pages: a malformed cursor shows the newest page; a cursor past the oldest event, an empty page that
  // links back to the newest.
  await page.goto("/staff/audit?before=not-a-cursor&after=%27%20or%201%3D1");
  await expect(audit.locator("tbody tr").first()).toBeVisible();
  const pages = page.getByRole("navigation", { name: "Pages of events" });
  await expect(pages.getByText("Newest")).toHaveAttribute("aria-disabled", "true");
  await page.goto("/staff/audit?before=2000-01-01T00:00:00.000Z~0");
  await expect(page.getByTestId("audit-summary")).toHaveText("No more events here.");
  await pages.getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL(/\/staff\/audit$/);
  await expect(audit.locator("tbody tr").first()).toBeVisible();

  // Revoke the onboarding with a reason: every link goes, the state says so.
  await page.goto(detailUrl);
  await page.getByText("Change the state").click();
  await page.getByLabel("New state").selectOption("revoked");
  await page.getByRole("button", { name: "Change state" }).click();
  await expect(page.getByText("Give a reason: it is kept in the audit log.").first()).toBeVisible();
  await page.getByLabel("Reason").fill("Duplicate of another onboarding.");
  await page.getByRole("button", { name: "Change state" }).click();
  await expect(page.getByText("State changed to Revoked.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("detail-state")).toHaveText("Revoked");
  await expect(links.locator('tr[data-link-status="active"]')).toHaveCount(0);
  const revokedEvent = timeline.locator('li[data-event-type="state_changed"]').filter({ hasText: "to Revoked" });
  await expect(revokedEvent).toContainText("Reason: Duplicate of another onboarding.");
  await expect(timeline.locator('li[data-event-type="links_revoked"]')).toContainText("All links turned off (1)");

  // Signing out ends the session; signing back in works with the authenticator.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in\?signed-out=1$/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
  await signInStaff(page, account);
  await expect(page.getByTestId("staff-user")).toBeVisible();
});

test("an unknown onboarding gets a friendly not-found page; a mangled dashboard URL still shows the list", async ({ page }) => {
  await signUpStaff(page);
  for (const id of ["0000000000aaaaaaaaaaaaaaaa", "not-an-id", "%3Cscript%3E"]) {
    const res = await page.goto(`/staff/onboardings/${id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Onboarding not found" })).toBeVisible();
  }
  expect(await axeViolations(page)).toEqual([]);
  const res = await page.goto("/staff?state=bogus&sort=drop&page=-4&q=%25%27--");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Onboardings", level: 1 })).toBeVisible();
});
