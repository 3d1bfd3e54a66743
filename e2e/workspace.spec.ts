import { axeViolations, expect, test } from "./fixtures";
import { chooseHost, createOnboardingWithLink, openStep } from "./helpers/workspace";

test("an invite link opens the workspace, leaves the address bar, and survives reload", async ({ page }) => {
  const { url } = createOnboardingWithLink("Harbor Realty");
  const token = url.split("/o/")[1]!;
  const response = await page.goto(url);
  await expect(page).toHaveURL(/\/o$/);
  expect(response?.headers()["cache-control"]).toContain("no-store");
  expect(page.url()).not.toContain(token);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbor Realty");
  await expect(page.getByTestId("onboarding-state")).toHaveText("In progress");
  const cookies = await page.context().cookies();
  const linkCookie = cookies.find((c) => c.name === "moxi_link");
  expect(linkCookie?.httpOnly).toBe(true);
  expect(linkCookie?.value).not.toBe(token);
  expect(await axeViolations(page)).toEqual([]);

  await chooseHost(page, "Exchange Server on premises");
  await expect(page.getByRole("heading", { name: "Setup guide: Exchange Server on premises" })).toBeVisible();
  await page.reload();
  await openStep(page, "host");
  await expect(page.getByRole("radio", { name: "Exchange Server on premises" })).toBeChecked();
});

test("the brokerage shares a vendor link; the vendor sees no vendor or credential controls; turning it off locks them out", async ({ page, browser }) => {
  const { url } = createOnboardingWithLink("Vendor Test Realty");
  await page.goto(url);
  await page.getByLabel("Who is the link for?").fill("GoDaddy support");
  await page.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await page.getByTestId("vendor-link").textContent())!;
  expect(vendorUrl).toMatch(/\/o\/[A-Za-z0-9_-]{43}$/);

  const vendor = await browser.newContext();
  const vendorPage = await vendor.newPage();
  await vendorPage.goto(vendorUrl);
  await expect(vendorPage.getByText("Vendor access")).toBeVisible();
  await expect(vendorPage.getByRole("heading", { name: "Vendor Test Realty" })).toBeVisible();
  await expect(vendorPage.getByRole("heading", { name: "Share with your email vendor" })).toHaveCount(0);
  expect(await axeViolations(vendorPage)).toEqual([]);

  await page.reload();
  await page.getByRole("button", { name: "Turn off link for GoDaddy support" }).click();
  await expect(page.getByText("The link for GoDaddy support no longer works.")).toBeVisible();
  // the vendor's cookie, replayed after revoke, no longer opens the workspace
  await vendorPage.reload();
  await expect(vendorPage.getByRole("heading", { name: "Open your workspace from its link" })).toBeVisible();
  await vendorPage.goto(vendorUrl);
  await expect(vendorPage.getByRole("heading", { name: "This link is no longer active" })).toBeVisible();
  await vendor.close();
});

test("unknown and malformed links get a clear page, not an error", async ({ page }) => {
  for (const path of ["/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/o/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/o/' OR 1=1 --"]) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "We don't recognise this link" })).toBeVisible();
  }
  await page.goto("/o");
  await expect(page.getByRole("heading", { name: "Open your workspace from its link" })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test("workspace actions refuse a cross-site post and a missing session", async ({ request }) => {
  const res = await request.post("/o", { headers: { "Sec-Fetch-Site": "cross-site", "Next-Action": "x" }, data: "" });
  expect(res.status()).toBeGreaterThanOrEqual(400);
});

test("the workspace guide keeps ticks on the server: the vendor sees the admin's ticks and adds their own", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { url } = createOnboardingWithLink("Checklist Realty");
  await page.goto(url);
  await chooseHost(page, "Exchange Server on premises");
  await expect(page.getByRole("heading", { name: "Setup guide: Exchange Server on premises" })).toBeVisible();
  const first = page.locator("[data-guide] input[type=checkbox]").first();
  await first.check();
  await expect(page.getByText("Your progress").locator("..").getByText(/1 of \d+/).first()).toBeVisible();
  await page.reload();
  await expect(page.locator("[data-guide] input[type=checkbox]").first()).toBeChecked();
  await expect(page.getByText(/Checklist: 1 of \d+ done/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel("Who is the link for?").fill("Checklist vendor");
  await page.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await page.getByTestId("vendor-link").textContent())!;
  const vendor = await browser.newContext();
  const vendorPage = await vendor.newPage();
  await vendorPage.goto(vendorUrl);
  await expect(vendorPage.locator("[data-guide] input[type=checkbox]").first()).toBeChecked();
  await vendorPage.locator("[data-guide] input[type=checkbox]").nth(1).check();
  await vendorPage.reload();
  await expect(vendorPage.locator("[data-guide] input[type=checkbox]").nth(1)).toBeChecked();
  await page.reload();
  await expect(page.locator("[data-guide] input[type=checkbox]").nth(1)).toBeChecked();
  await vendor.close();
});
