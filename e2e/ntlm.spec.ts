import { expect, test } from "./fixtures";
import { connectionCard, createOnboardingWithLink, fillConnection, SIM_PASSWORD, submitConnection } from "./helpers/workspace";

/**
 * Exchange Server with Basic authentication off: the brokerage admin picks NTLM and DOMAIN\user in the one
 * connection form, and the app's own verification signs in with NTLM against the simulator's IIS (Windows
 * authentication only).
 */
test("Basic off on Exchange Server: DOMAIN\\user over NTLM goes from invite to verified", async ({ page }) => {
  const { url } = createOnboardingWithLink("NTLM Realty", `ntlm-${Date.now()}@acme.test`, "exchange-server");
  await page.goto(url);
  await fillConnection(page, { serviceAccount: "CONTOSO\\svc-moxi", testMailbox: `agent${Date.now()}@ntlm-only.sim.test`, authScheme: "ntlm" });
  await submitConnection(page);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect(page.getByText("NTLM (Windows authentication; Exchange Server)").first()).toBeVisible();
  await expect(page.getByText("CONTOSO\\svc-moxi").first()).toBeVisible();
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("Extended Protection set to Require: needs attention, with the NTLM finding that names all three look-alike causes", async ({ page }) => {
  const { url } = createOnboardingWithLink("EPA Realty", `epa-${Date.now()}@acme.test`, "exchange-server");
  await page.goto(url);
  await fillConnection(page, { serviceAccount: "svc-moxi@contoso.test", testMailbox: `agent${Date.now()}@ntlm-epa-required.sim.test`, authScheme: "ntlm" });
  await submitConnection(page);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention", { timeout: 30_000 });
  const finding = page.getByRole("region", { name: /Status/ }).getByTestId("finding").first();
  await expect(finding).toHaveAttribute("data-cause", "ntlm_rejected");
  await expect(finding).toContainText("Extended Protection");
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("a DOMAIN\\user the directory cannot hold is refused in the form with a specific message", async ({ page }) => {
  const { url } = createOnboardingWithLink("Bad Account Realty", `bad-${Date.now()}@acme.test`, "exchange-server");
  await page.goto(url);
  await fillConnection(page, { serviceAccount: "CONTOSOCONTOSO16\\svc", testMailbox: "agent@ntlm-only.sim.test", authScheme: "ntlm" });
  await connectionCard(page).getByRole("button", { name: "Submit these details for verification" }).click();
  await expect(connectionCard(page).getByText(/NetBIOS domain name: up to 15/).first()).toBeVisible();
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "test");
});
