import { expect, test } from "./fixtures";
import { createOnboardingWithLink, fillConnection, runConnectionTest } from "./helpers/workspace";
import { sim } from "../playwright.config";

/**
 * Issue 17 item 7: a vendor's "Earlier tests" showed the service account, the test mailbox, the EWS URL and
 * the full log of tests the brokerage ran. Vendors see the steps and findings, with account names masked.
 */
const SERVICE_ACCOUNT = "svc-moxi@vendorview.test";
const MAILBOX = "agent@impersonation-denied.sim.test";

test("a vendor's workspace shows earlier tests' steps and findings without the account, mailbox, EWS URL or log", async ({ page, browser }) => {
  const { url } = createOnboardingWithLink("Vendor View Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await fillConnection(page, { serviceAccount: SERVICE_ACCOUNT, testMailbox: MAILBOX });
  await runConnectionTest(page, "failed");

  // The brokerage itself still sees everything about its own test.
  await page.reload();
  const own = page.getByTestId("test-run").first();
  await expect(own).toHaveAttribute("data-outcome", "failed");
  expect(await own.innerHTML()).toContain(SERVICE_ACCOUNT);
  expect(await own.innerHTML()).toContain("Full log");

  await page.getByLabel("Who is the link for?").fill("Vendor view support");
  await page.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await page.getByTestId("vendor-link").textContent())!;
  const vendor = await browser.newContext();
  const vendorPage = await vendor.newPage();
  await vendorPage.goto(vendorUrl);
  await expect(vendorPage.getByText("Vendor access")).toBeVisible();
  const run = vendorPage.getByTestId("test-run").first();
  await expect(run).toHaveAttribute("data-outcome", "failed");
  await run.locator("summary").first().click();
  // Steps and findings are there…
  await expect(run.getByTestId("test-step").first()).toBeVisible();
  await expect(run.getByTestId("finding").first()).toHaveAttribute("data-cause", "impersonation_denied");
  // …the names are not, anywhere in the page (its HTML includes the RSC payload; "svc-moxiengage@" is the form's example). ("/EWS/Exchange.asmx" alone is
  // in the form's hint for everyone; the EWS URL tested, its host and port are what must not show.)
  const html = await vendorPage.content();
  const ewsHostPort = new URL(sim.ewsUrl).host;
  for (const secret of [SERVICE_ACCOUNT, "svc-moxi@", MAILBOX, "agent@", sim.ewsUrl, ewsHostPort, "Full log"]) {
    expect(html.includes(secret), `the vendor's page contains ${secret}`).toBe(false);
  }
  await vendor.close();
});
