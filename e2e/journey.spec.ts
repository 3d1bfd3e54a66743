import { expect, test } from "./fixtures";
import { mailSink, sim } from "../playwright.config";
import { chooseHost, createOnboardingWithLink, fillAndSubmit, SIM_PASSWORD } from "./helpers/workspace";
import { signUpStaff } from "./helpers/staff";

type Mail = { to: string[]; subject: string; text: string };

async function mailTo(address: string): Promise<Mail[]> {
  const all = (await (await fetch(mailSink.url)).json()) as Mail[];
  return all.filter((m) => m.to.includes(address));
}

async function submitDetails(page: import("@playwright/test").Page, mailbox: string) {
  await fillAndSubmit(page, { serviceAccount: "svc-moxi@journey.test", testMailbox: mailbox });
}

test("submit → verified by the app's own test → mail arrives at a real SMTP server", async ({ page }) => {
  const contact = `journey-${Date.now()}@acme.test`;
  const { url } = createOnboardingWithLink("Journey Realty", contact, "exchange-server");
  await page.goto(url);
  await submitDetails(page, "agent@healthy.sim.test");
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect.poll(async () => (await mailTo(contact)).map((m) => m.subject), { timeout: 20_000 }).toContain("Journey Realty: MoxiEngage service account verified");
  const mails = await mailTo(contact);
  expect(JSON.stringify(mails)).not.toContain(SIM_PASSWORD);
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});

test("impersonation denied → needs attention with the finding → fixed → resubmit → verified", async ({ page }) => {
  const contact = `denied-${Date.now()}@acme.test`;
  const mailbox = `journey-denied-${Date.now()}@acme.test`;
  await fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(mailbox)}&scenario=impersonation-denied`, { method: "PUT" });
  const { url } = createOnboardingWithLink("Denied Journey Realty", contact, "exchange-server");
  await page.goto(url);
  await submitDetails(page, mailbox);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention", { timeout: 30_000 });
  const finding = page.getByRole("region", { name: /Status/ }).getByTestId("finding").first();
  await expect(finding).toHaveAttribute("data-cause", "impersonation_denied");
  await expect.poll(async () => (await mailTo(contact)).map((m) => m.subject), { timeout: 20_000 }).toContain("Denied Journey Realty: the MoxiEngage connection test needs attention");

  await fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(mailbox)}&scenario=`, { method: "PUT" });
  await submitDetails(page, mailbox);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
});

test("staff re-run verification live from the detail page; a password that expired turns it to needs attention", async ({ page, browser }) => {
  const contact = `rerun-${Date.now()}@acme.test`;
  const mailbox = `journey-rerun-${Date.now()}@acme.test`;
  const { id, url } = createOnboardingWithLink("Rerun Realty", contact, "exchange-server");
  await page.goto(url);
  await submitDetails(page, mailbox);
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signUpStaff(staff, "staff");
  await staff.goto(`/staff/onboardings/${id}`);
  await fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(mailbox)}&scenario=expired-password`, { method: "PUT" });
  await staff.getByRole("button", { name: "Re-run verification" }).click();
  await expect(staff.getByTestId("test-summary")).toHaveText(/The test failed/, { timeout: 30_000 });
  await expect(staff.getByTestId("live-test").getByTestId("finding").first()).toHaveAttribute("data-cause", "password_expired");
  await page.reload();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention");
  await staffContext.close();
});

test("the whole journey: staff invite by mail → admin follows the guide → submits → verified → mail", async ({ page, browser }) => {
  const contact = `whole-${Date.now()}@acme.test`;
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signUpStaff(staff, "staff");
  await staff.goto("/staff/onboardings/new");
  await staff.getByLabel("Brokerage name").fill("Whole Journey Realty");
  await staff.getByLabel("Contact's name").fill("Ada Admin");
  await staff.getByLabel("Contact's email address").fill(contact);
  await staff.getByRole("button", { name: "Create onboarding and invite link" }).click();
  await expect(staff.getByText(/Copy the invite link now/)).toBeVisible();

  // the invite arrives by mail, and its copy in the outbox loses the link once sent
  await expect.poll(async () => (await mailTo(contact)).length, { timeout: 20_000 }).toBeGreaterThan(0);
  const invite = (await mailTo(contact))[0]!;
  expect(invite.subject).toBe("Connect Whole Journey Realty's mailboxes to MoxiEngage");
  const link = invite.text.replace(/=\r?\n/g, "").match(/https?:\/\/\S+\/o\/[A-Za-z0-9_-]{43}/)![0];
  await staff.goto("/staff/outbox");
  await expect(staff.getByTestId("outbox-message").first()).toContainText("Whole Journey Realty");
  expect(await staff.content()).not.toContain(link.split("/o/")[1]!);
  await staffContext.close();

  await page.goto(link);
  await chooseHost(page, "Exchange Server on premises");
  await page.locator("[data-guide] input[type=checkbox]").first().check();
  await submitDetails(page, "agent@healthy.sim.test");
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect.poll(async () => (await mailTo(contact)).map((m) => m.subject), { timeout: 20_000 }).toContain("Whole Journey Realty: MoxiEngage service account verified");
});
