import { expect, test } from "./fixtures";
import { sim } from "../playwright.config";
import { createOnboardingWithLink } from "./helpers/workspace";

/**
 * Exchange Server with Basic authentication off: the brokerage admin picks NTLM and DOMAIN\user, and the
 * app's own verification signs in with NTLM against the simulator's IIS (Windows authentication only).
 */
const SIM_PASSWORD = "Sim-Passw0rd!";

async function fillDetails(page: import("@playwright/test").Page, account: string, mailbox: string, scheme: string) {
  const card = page.getByRole("region", { name: "Service account details" });
  const enter = card.getByRole("button", { name: /Enter the details|Change the saved details/ });
  if (await enter.isVisible()) await enter.click();
  await card.getByLabel("Service account address").fill(account);
  await card.getByLabel("Service account password").fill(SIM_PASSWORD);
  await card.getByLabel("Test mailbox address").fill(mailbox);
  await card.getByLabel("EWS URL (optional)").fill(sim.ewsUrl);
  await card.getByLabel("How the service account signs in").selectOption(scheme);
  await card.getByLabel("Where your mailboxes are hosted").selectOption("exchange-server");
  await card.getByRole("button", { name: "Review before saving" }).click();
  return card;
}

test("Basic off on Exchange Server: DOMAIN\\user over NTLM goes from invite to verified", async ({ page }) => {
  const { url } = createOnboardingWithLink("NTLM Realty", `ntlm-${Date.now()}@acme.test`);
  await page.goto(url);
  const card = await fillDetails(page, "CONTOSO\\svc-moxi", `agent${Date.now()}@ntlm-only.sim.test`, "ntlm");
  await expect(card.getByText("NTLM (Windows authentication; Exchange Server)")).toBeVisible();
  await card.getByRole("button", { name: "Save securely" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect(page.getByText("CONTOSO\\svc-moxi").first()).toBeVisible();
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("Extended Protection set to Require: needs attention, with the NTLM finding that names all three look-alike causes", async ({ page }) => {
  const { url } = createOnboardingWithLink("EPA Realty", `epa-${Date.now()}@acme.test`);
  await page.goto(url);
  const card = await fillDetails(page, "svc-moxi@contoso.test", `agent${Date.now()}@ntlm-epa-required.sim.test`, "ntlm");
  await card.getByRole("button", { name: "Save securely" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention", { timeout: 30_000 });
  const finding = page.getByRole("region", { name: /Status/ }).getByTestId("finding").first();
  await expect(finding).toHaveAttribute("data-cause", "ntlm_rejected");
  await expect(finding).toContainText("Extended Protection");
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("a DOMAIN\\user the directory cannot hold is refused in the form with a specific message", async ({ page }) => {
  const { url } = createOnboardingWithLink("Bad Account Realty", `bad-${Date.now()}@acme.test`);
  await page.goto(url);
  const card = await fillDetails(page, "CONTOSOCONTOSO16\\svc", "agent@ntlm-only.sim.test", "ntlm");
  await expect(card.getByText(/NetBIOS domain name: up to 15/).first()).toBeVisible();
  await expect(card.getByRole("button", { name: "Save securely" })).toHaveCount(0);
});
