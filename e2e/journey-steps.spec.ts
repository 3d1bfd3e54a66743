import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";
import { sim } from "../playwright.config";
import { signUpStaff } from "./helpers/staff";
import {
  chooseHost,
  connectionCard,
  createOnboardingWithLink,
  fillConnection,
  runConnectionTest,
  SIM_PASSWORD,
  submitConnection,
  type StepKey,
} from "./helpers/workspace";

const SHOTS = "test-results/screenshots";
const WIDTHS = [1280, 390] as const;

/** No horizontal scroll: the document is no wider than the window. */
async function horizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** What sticks out on the right (to say where the overflow comes from when there is one). */
async function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Clipped by a scroller, unless absolutely positioned with no positioned ancestor inside it (it then escapes the
    // clipping: an sr-only label in a scrolled table did, by 1 px).
    const clipped = (el: Element) => {
      let escapes = getComputedStyle(el).position === "absolute";
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX !== "visible" && !escapes) return true;
        if (style.position !== "static") escapes = false;
      }
      return false;
    };
    return [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
      .slice(-5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}: ${el.textContent?.slice(0, 60)}`);
  });
}

/** At 1280 and 390 px: axe clean, no horizontal scroll, and (for workspace steps) a screenshot kept by CI. */
async function checkAtBothWidths(page: Page, shot?: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const overflow = await horizontalOverflow(page);
    expect(overflow, `horizontal scroll at ${width} px on ${page.url()}: ${overflow > 0 ? (await overflowingElements(page)).join(" | ") : ""}`).toBe(0);
    expect(await axeViolations(page), `axe at ${width} px on ${page.url()}`).toEqual([]);
    if (shot) {
      mkdirSync(SHOTS, { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SHOTS}/${shot}-${width}.png` });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectStepper(page: Page, current: StepKey, open: StepKey = current) {
  const stepper = page.getByTestId("stepper");
  await expect(stepper.locator(`li[data-step=${current}]`)).toHaveAttribute("data-status", current === "verified" ? "done" : "current");
  await expect(stepper.locator('[aria-current="step"]')).toHaveCount(1);
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", open);
  // the stepper stays in view: it is on screen at the top whatever the scroll
  await page.mouse.wheel(0, 4000);
  await expect(stepper).toBeInViewport();
  await page.mouse.wheel(0, -8000);
}

test("invite → verified on Exchange Server, the details typed once, the stepper showing each step", async ({ page }) => {
  test.setTimeout(150_000);
  const { url } = createOnboardingWithLink("Stepper Realty", `stepper-${Date.now()}@acme.test`);
  await page.goto(url);

  await expectStepper(page, "host");
  await checkAtBothWidths(page, "workspace-1-host");
  await chooseHost(page, "Exchange Server on premises");

  await expectStepper(page, "prepare");
  await expect(page.getByRole("heading", { name: "Setup guide: Exchange Server on premises" })).toBeVisible();
  await expect(page.getByTestId("next-step")).toHaveText("Next step: Test the connection →");
  // sections are folded to their heading and progress; the first with work left is open
  const sections = page.locator("[data-guide-section]");
  expect(await sections.count()).toBeGreaterThan(3);
  await expect(page.locator("[data-guide-section][open]")).toHaveCount(1);
  await checkAtBothWidths(page, "workspace-2-prepare");

  await page.getByTestId("next-step").click();
  await expectStepper(page, "prepare", "test");
  // Typed once: these four fills are the only typing until the onboarding is verified.
  await fillConnection(page, { serviceAccount: "svc-moxi@stepper.test", testMailbox: "agent@healthy.sim.test", ewsUrl: sim.ewsUrl });
  await runConnectionTest(page, "passed");
  await expect(connectionCard(page).getByText("The test passed. Submit these same details: nothing to type again.")).toBeVisible();
  await checkAtBothWidths(page, "workspace-3-test");

  await submitConnection(page);
  // The Submit step is open; the verification may already have finished (then the stepper is at Verified).
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "submit");
  await expect(page.getByTestId("stepper").locator("li[data-step=submit]")).toHaveAttribute("data-status", /^(current|done)$/);
  await expect(page.getByTestId("onboarding-state")).toHaveText(/Submitted|Verifying|Verified/);
  await checkAtBothWidths(page, "workspace-4-submit");
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect(page.getByTestId("saved-status")).toHaveText(/^Verified on /);

  await page.goto("/o");
  await expectStepper(page, "verified");
  await expect(page.getByTestId("next-step")).toHaveCount(0);
  await checkAtBothWidths(page, "workspace-5-verified");
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("a finding's guide link opens the step inside the workspace, its section unfolded", async ({ page }) => {
  const { url } = createOnboardingWithLink("Finding Link Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await fillConnection(page, { testMailbox: "agent@impersonation-denied.sim.test" });
  await runConnectionTest(page, "failed");
  const link = page.getByTestId("live-test").getByTestId("finding").first().getByRole("link", { name: "Open the guide step that fixes this" });
  await expect(link).toHaveAttribute("href", /^\/o\?step=prepare#grant-impersonation/);
  const anchor = (await link.getAttribute("href"))!.split("#")[1]!;
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/o\\?step=prepare#${anchor}$`));
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "prepare");
  await expect(page.locator(`[id="${anchor}"]`)).toBeInViewport();
  // the public guide is not where it went
  expect(page.url()).not.toContain("/guide/");
});

test("the test mailbox equal to the service account is refused in the test, the submission and the guide's address form", async ({ page }) => {
  const { url } = createOnboardingWithLink("Same Mailbox Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  const message = "The test mailbox must be a regular user's mailbox, not the service account itself";
  await page.getByLabel("Service account address").first().fill("svc-moxi@same.test");
  await page.getByLabel("Test mailbox address").first().fill("SVC-moxi@same.test");
  await expect(page.getByTestId("placeholder-same-mailbox")).toContainText(message);

  await fillConnection(page, { serviceAccount: "svc-moxi@same.test", testMailbox: "SVC-Moxi@same.test " });
  const card = connectionCard(page);
  await card.getByRole("button", { name: "Run the test" }).click();
  await expect(card.getByRole("alert")).toContainText(message);
  await expect(page.getByTestId("test-step")).toHaveCount(0);
  await card.getByRole("button", { name: "Submit these details for verification" }).click();
  await expect(card.getByRole("alert")).toContainText(message);
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "test");
  await expect(page.getByTestId("onboarding-state")).toHaveText("In progress");
});

test("the error summary clears as soon as the field it names is fixed", async ({ page }) => {
  const { url } = createOnboardingWithLink("Summary Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await fillConnection(page, { testMailbox: "agent@healthy.sim.test", ewsUrl: "http://mail.contoso.com/EWS/Exchange.asmx" });
  const card = connectionCard(page);
  await card.getByRole("button", { name: "Submit these details for verification" }).click();
  const summary = card.getByRole("alert").filter({ hasText: "Some fields need your attention." });
  await expect(summary).toContainText("must start with https://");
  await card.getByLabel("EWS URL (optional)").fill(sim.ewsUrl);
  await expect(summary).toHaveCount(0);
  await expect(card.getByText("must start with https://")).toHaveCount(0);
});

test("after a failed verification the saved details, the banner and the stepper say the same", async ({ page }) => {
  const { url } = createOnboardingWithLink("Agreeing Realty", "admin@acme.test", "exchange-server");
  await page.goto(url);
  await fillConnection(page, { testMailbox: "agent@impersonation-denied.sim.test" });
  await submitConnection(page);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention", { timeout: 30_000 });
  await expect(page.getByTestId("saved-status")).toHaveText(/^Needs attention/);
  await expect(page.getByTestId("stepper").locator("li[data-step=submit]")).toHaveAttribute("data-status", "current");
  await expect(page.getByText("Waiting for the connection test")).toHaveCount(0);
});

test("guide and staff pages: axe clean and no horizontal scroll at 390 and 1280 px", async ({ page }) => {
  test.setTimeout(120_000);
  for (const path of ["/guide", "/guide/exchange-server", "/guide/microsoft-365", "/o/troubleshoot", "/staff/sign-in"]) {
    await page.goto(path);
    await checkAtBothWidths(page);
  }
  const { id } = createOnboardingWithLink("Layout Realty");
  await signUpStaff(page, "techops");
  for (const path of ["/staff", `/staff/onboardings/${id}`, "/staff/onboardings/new", "/staff/audit", "/staff/outbox"]) {
    await page.goto(path);
    await checkAtBothWidths(page);
  }
});
