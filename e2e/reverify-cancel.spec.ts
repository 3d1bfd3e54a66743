import { execFileSync } from "node:child_process";
import { expect, test } from "./fixtures";
import { baseURL, mailSink, sim } from "../playwright.config";
import { createOnboardingWithLink, e2eDataDir, fillAndSubmit } from "./helpers/workspace";
import { signUpStaff } from "./helpers/staff";

/**
 * Issue 17 item 5, through the real route: staff start "Re-run verification" on a verified brokerage and
 * close the page while the probe waits on a hung server. The request's abort cancels the run, and a
 * cancelled run is no verdict: still verified, no mail, the service API still serves the credential.
 */
const SIM_PASSWORD = "Sim-Passw0rd!";
type Mail = { to: string[]; subject: string };

async function mailTo(address: string): Promise<Mail[]> {
  return ((await (await fetch(mailSink.url)).json()) as Mail[]).filter((m) => m.to.includes(address));
}

function serviceToken(): string {
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/service-token-create.ts", "--name", `e2e-${Date.now()}`], {
    env: { ...process.env, DATA_DIR: e2eDataDir(), APP_URL: baseURL, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  return out.trim().split("\n").pop()!.trim();
}

test("closing the staff re-verify stream leaves a verified brokerage verified, unmailed and served", async ({ page, browser }) => {
  const contact = `cancel-${Date.now()}@acme.test`;
  const mailbox = `reverify-cancel-${Date.now()}@acme.test`;
  const { id, url } = createOnboardingWithLink("Cancel Realty", contact, "exchange-server");
  await page.goto(url);
  await fillAndSubmit(page, { serviceAccount: "svc-moxi@cancel.test", password: SIM_PASSWORD, testMailbox: mailbox });
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  // The invite (delivered from its sealed outbox row) and the verdict.
  const before = ["Connect Cancel Realty's mailboxes to MoxiEngage", "Cancel Realty: MoxiEngage service account verified"];
  await expect.poll(async () => (await mailTo(contact)).map((m) => m.subject).sort(), { timeout: 20_000 }).toEqual([...before].sort());
  const token = serviceToken();
  const served = async () => (await fetch(`${baseURL}/api/v1/credentials/${id}`, { headers: { Authorization: `Bearer ${token}` } })).status;
  expect(await served()).toBe(200);

  // The tenant hangs from now on; staff start a re-verification and close the page while it runs.
  await fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(mailbox)}&scenario=hung`, { method: "PUT" });
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signUpStaff(staff, "staff");
  await staff.goto(`/staff/onboardings/${id}`);
  await staff.getByRole("button", { name: "Re-run verification" }).click();
  await expect(staff.getByTestId("live-test").locator("[data-testid=test-step][data-status=running]").first()).toBeVisible();
  await staffContext.close();

  // The run ends as cancelled (the newest run in the brokerage's history), and nothing else moves.
  await expect.poll(async () => {
    await page.reload();
    return (await page.getByTestId("test-run").first().locator("summary h4").first().textContent())?.trim();
  }, { timeout: 30_000 }).toBe("Cancelled");
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified");
  expect(await served()).toBe(200);
  // The outbox is delivered every second in e2e: give a wrong verdict's mail time to arrive, then check.
  await page.waitForTimeout(3000);
  expect((await mailTo(contact)).map((m) => m.subject).sort()).toEqual([...before].sort());
  await fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(mailbox)}&scenario=`, { method: "PUT" });
});
