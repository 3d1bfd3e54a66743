import { axeViolations, expect, test } from "./fixtures";
import { connectionCard, createOnboardingWithLink, fillConnection, openStep, SIM_PASSWORD } from "./helpers/workspace";

async function fillTest(page: import("@playwright/test").Page, mailbox: string, password = SIM_PASSWORD) {
  await fillConnection(page, { serviceAccount: "svc-moxi@harbor.test", password, testMailbox: mailbox });
}

test("the admin runs the test against the simulator and watches the steps arrive live", async ({ page }) => {
  const { url } = createOnboardingWithLink("Live Test Realty");
  await page.goto(url);
  await fillTest(page, "agent@healthy.sim.test");
  const live = page.getByTestId("live-test");
  // the full test: what the sync does after the folders, with the test message sent and found in Sent Items
  await live.getByLabel("Also send a test message").check();
  await page.getByRole("button", { name: "Run the test" }).click();
  await expect(page.getByTestId("test-summary")).toHaveText(/The test passed/, { timeout: 30_000 });
  await expect(live.getByTestId("test-step")).toHaveCount(15);
  await expect(live.locator("[data-testid=test-step][data-status=failed]")).toHaveCount(0);
  for (const stage of ["list-contact", "write-contact", "view-calendar", "write-event", "send-message", "find-sent"]) {
    await expect(live.locator(`[data-testid=test-step][data-stage=${stage}]`)).toHaveAttribute("data-status", "passed");
  }
  await expect(live.locator("[data-testid=test-step][data-stage=find-sent]")).toContainText(/Found "MoxiEngage connection test/);
  expect(await axeViolations(page)).toEqual([]);
  // stored in history after a refresh, with who ran it
  await expect(page.getByTestId("test-run").first()).toHaveAttribute("data-outcome", "passed");
  const html = await page.content();
  expect(html).not.toContain(SIM_PASSWORD);
});

test("steps arrive while the server is still working, and the test can be cancelled", async ({ page }) => {
  const { url } = createOnboardingWithLink("Hung Server Realty");
  await page.goto(url);
  await fillTest(page, "agent@hung.sim.test");
  await page.getByRole("button", { name: "Run the test" }).click();
  const live = page.getByTestId("live-test");
  // the first stage has passed and another is still running: the page shows work in progress
  await expect(live.locator("[data-testid=test-step][data-status=passed]").first()).toBeVisible();
  await expect(live.locator("[data-testid=test-step][data-status=running]").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Testing…" })).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("test-summary")).toHaveText("The test was cancelled.");
  await expect(page.getByRole("button", { name: "Run the test" })).toBeEnabled();
});

test("a failing test shows the right finding with a link into the guide", async ({ page }) => {
  const { url } = createOnboardingWithLink("Denied Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await fillTest(page, "agent@impersonation-denied.sim.test");
  await page.getByRole("button", { name: "Run the test" }).click();
  await expect(page.getByTestId("test-summary")).toHaveText(/The test failed/, { timeout: 30_000 });
  const finding = page.getByTestId("finding").first();
  await expect(finding).toHaveAttribute("data-cause", "impersonation_denied");
  await expect(finding.getByRole("link", { name: "Open the guide step that fixes this" })).toHaveAttribute("href", /^\/o\?step=prepare#grant-impersonation/);
  expect(await axeViolations(page)).toEqual([]);
});

test("a mailbox whose contacts are read-only: the write step fails with its guidance, and sending is skipped unless ticked", async ({ page }) => {
  const { url } = createOnboardingWithLink("Read Only Realty");
  await page.goto(url);
  await fillTest(page, "agent@contacts-read-only.sim.test");
  await page.getByRole("button", { name: "Run the test" }).click();
  await expect(page.getByTestId("test-summary")).toHaveText(/The test failed/, { timeout: 30_000 });
  const live = page.getByTestId("live-test");
  await expect(live.locator("[data-testid=test-step][data-stage=list-contact]")).toHaveAttribute("data-status", "passed");
  const write = live.locator("[data-testid=test-step][data-stage=write-contact]");
  await expect(write).toHaveAttribute("data-status", "failed");
  await expect(write).toContainText("can read contacts but not create or delete them");
  await expect(live.locator("[data-testid=test-step][data-stage=send-message]")).toHaveAttribute("data-status", "skipped");
  expect(await axeViolations(page)).toEqual([]);
});

test("missing fields are named before anything is sent", async ({ page }) => {
  const { url } = createOnboardingWithLink("Empty Realty");
  await page.goto(url);
  await openStep(page, "test");
  await page.getByRole("button", { name: "Run the test" }).click();
  const summary = connectionCard(page).getByRole("alert");
  await expect(summary).toContainText("Enter the service account's sign-in address");
  await expect(summary).toBeFocused();
  await summary.getByRole("link", { name: /Service account address/ }).click();
  await expect(connectionCard(page).getByLabel("Service account address")).toBeFocused();
  await expect(page.getByTestId("test-step")).toHaveCount(0);
});

test("the test endpoint refuses anonymous, cross-site and oversized requests", async ({ request }) => {
  const anonymous = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data: { serviceAccount: "a@b.c", password: "x", testMailbox: "c@d.e" } });
  expect(anonymous.status()).toBe(401);
  const anonymousGraph = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data: { appAccess: true, groupName: "Agents", testMailbox: "a@b.test", outOfScopeMailbox: "c@b.test" } });
  expect(anonymousGraph.status()).toBe(401);
  const crossSite = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "cross-site" }, data: {} });
  expect(crossSite.status()).toBe(403);
  const big = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data: { serviceAccount: "a".repeat(20_000), password: "x", testMailbox: "c" } });
  expect(big.status()).toBe(413);
  const wrongType = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data: { serviceAccount: 1, password: [], testMailbox: null } });
  expect(wrongType.status()).toBe(400);
  const junk = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json" }, data: "{not json" });
  expect(junk.status()).toBe(400);
});
