import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { BrowserContext, Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";
import { signUpStaff, totpCode, type StaffAccount } from "./helpers/staff";
import { createOnboardingWithLink, e2eDataDir, fillAndSubmit } from "./helpers/workspace";
import { mailSink } from "../playwright.config";

/**
 * Support access with the brokerage's approval (issue 24), in Chromium end to end: a staff member asks,
 * brokerage A approves in its workspace, the staff member reveals once, A sees who saw it; a second reveal on
 * the single-use approval, a declined, a withdrawn and an expired approval are refused; brokerage B neither
 * sees A's request nor can answer it. Nothing of the password appears in the mail or the panel.
 */
test.describe.configure({ mode: "serial", timeout: 180_000 });

const RUN = Date.now().toString(36);
const PASSWORD = `Support-Canary-${RUN}-Zq!9`;
const A_EMAIL = `admin-a-${RUN}@acme.test`;

let brokerageA: BrowserContext;
let brokerageB: BrowserContext;
let staffContext: BrowserContext;
let staff: StaffAccount;
let a: { id: string; url: string };
let b: { id: string; url: string };

async function saveCredential(page: Page) {
  await page.goto("/o");
  await fillAndSubmit(page, { serviceAccount: "svc-moxi@support.sim.test", password: PASSWORD, testMailbox: "agent@healthy.sim.test" });
}

const panel = (page: Page) => page.getByRole("region", { name: "Access to your credentials" });
const staffCard = (page: Page) => page.getByRole("region", { name: "Support access to the credential" });

async function requestAccess(page: Page, onboardingId: string, reason: string, hours = "1") {
  await page.goto(`/staff/onboardings/${onboardingId}`);
  const card = staffCard(page);
  await card.getByLabel("Why you need to see it").fill(reason);
  await card.getByLabel("For how long").selectOption(hours);
  await card.getByRole("button", { name: "Request access" }).click();
  await expect(card.getByTestId("access-waiting")).toContainText("Request sent");
}

/** The id of the pending request whose reason is shown, read from its answer form in the workspace. */
async function pendingRequestId(page: Page, reason: string) {
  return page.getByTestId("access-request").filter({ hasText: reason }).locator('input[name="requestId"]').first().inputValue();
}

async function answer(page: Page, reason: string, decision: "Approve" | "Decline", mode?: "Once" | "For the whole") {
  await page.goto("/o");
  const item = page.getByTestId("access-request").filter({ hasText: reason });
  if (mode) await item.getByRole("radio", { name: new RegExp(mode) }).check();
  await item.getByRole("button", { name: new RegExp(`^${decision}`) }).click();
  await expect(panel(page).getByText(decision === "Approve" ? "Approved." : "Declined.")).toBeVisible();
}

async function submitReveal(page: Page, reason: string) {
  const card = staffCard(page);
  await card.getByLabel("Your password").fill(staff.password);
  await card.getByLabel("Authenticator code").fill(await totpCode(staff.totpSecret));
  await card.getByLabel("Reason").fill(reason);
  await card.getByRole("button", { name: "Reveal the password" }).click();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  a = createOnboardingWithLink(`Support Realty A ${RUN}`, A_EMAIL, "exchange-server");
  b = createOnboardingWithLink(`Support Realty B ${RUN}`, "admin@acme.test", "exchange-server");
  brokerageA = await browser.newContext();
  brokerageB = await browser.newContext();
  staffContext = await browser.newContext();
  const pa = await brokerageA.newPage();
  await pa.goto(a.url);
  await saveCredential(pa);
  const pb = await brokerageB.newPage();
  await pb.goto(b.url);
  await saveCredential(pb);
  staff = await signUpStaff(await staffContext.newPage(), "staff");
});

test.afterAll(async () => {
  for (const c of [brokerageA, brokerageB, staffContext]) await c?.close();
});

test("staff requests → brokerage approves once → staff reveals once → brokerage sees who, when, why; a second reveal is refused", async () => {
  const reason = `Ticket SUP-${RUN}-1: two agents' calendars stopped syncing`;
  const staffPage = await staffContext.newPage();
  await requestAccess(staffPage, a.id, reason);
  await expect(staffPage.getByTestId("my-access-status").first()).toHaveText("Waiting for an answer");
  expect(await axeViolations(staffPage)).toEqual([]);

  // The brokerage contact is mailed: who, why, how long — no password.
  await expect
    .poll(async () => ((await (await fetch(mailSink.url)).json()) as { to: string[]; subject: string; text: string }[]).filter((m) => m.to.includes(A_EMAIL) && /asks to see/.test(m.subject)).length, { timeout: 30_000 })
    .toBe(1);
  const mail = ((await (await fetch(mailSink.url)).json()) as { to: string[]; subject: string; text: string }[]).find((m) => m.to.includes(A_EMAIL) && /asks to see/.test(m.subject))!;
  expect(mail.text.replace(/=\r?\n/g, "")).toContain(`SUP-${RUN}-1`);
  expect(mail.text.includes(PASSWORD)).toBe(false);

  // Brokerage A sees the request and approves it once.
  const pageA = await brokerageA.newPage();
  await pageA.goto("/o");
  await expect(panel(pageA).getByTestId("access-request")).toContainText(reason);
  await expect(panel(pageA).getByTestId("access-request")).toContainText("1 hour");
  expect(await axeViolations(pageA)).toEqual([]);
  await answer(pageA, reason, "Approve", "Once");
  await expect(panel(pageA).getByTestId("access-in-force")).toBeVisible();

  // Two tabs with the reveal form: the first reveal spends the single-use approval, the second is refused.
  await staffPage.goto(`/staff/onboardings/${a.id}`);
  const secondTab = await staffContext.newPage();
  await secondTab.goto(`/staff/onboardings/${a.id}`);
  await submitReveal(staffPage, `Reveal for SUP-${RUN}-1, checking the password`);
  const shown = staffPage.getByRole("region", { name: /Password for/ });
  await expect(shown).toBeVisible();
  expect((await shown.locator("code").textContent()) === PASSWORD).toBe(true);
  await expect(shown).toContainText("Hides in");
  expect(await axeViolations(staffPage)).toEqual([]);
  await shown.getByRole("button", { name: "Hide now" }).click();

  await submitReveal(secondTab, `Second look for SUP-${RUN}-1, refused`);
  await expect(staffCard(secondTab).getByRole("alert")).toContainText("single-use approval has already been used");
  await expect(staffCard(secondTab).getByRole("region", { name: /Password for/ })).toHaveCount(0);

  // The brokerage sees the reveal (who, when, why) and the outcome; nothing of the password.
  await pageA.reload();
  const reveals = panel(pageA).getByTestId("access-reveals");
  await expect(reveals).toContainText(`Reveal for SUP-${RUN}-1`);
  await expect(reveals).toContainText("support, with your approval");
  await expect(reveals.locator("time")).toHaveCount(1);
  await expect(panel(pageA).getByTestId("access-outcome").first()).toHaveText("Used (single use)");
  expect((await pageA.content()).includes(PASSWORD)).toBe(false);
  expect(await axeViolations(pageA)).toEqual([]);
});

test("another brokerage's link neither sees nor can answer the request", async () => {
  const reason = `Ticket SUP-${RUN}-2: cross-brokerage check`;
  const staffPage = await staffContext.newPage();
  await requestAccess(staffPage, a.id, reason);
  await requestAccess(staffPage, b.id, `Ticket SUP-${RUN}-B: B's own request`);

  const pageA = await brokerageA.newPage();
  await pageA.goto("/o");
  const requestIdOfA = await pendingRequestId(pageA, reason);

  const pageB = await brokerageB.newPage();
  await pageB.goto("/o");
  await expect(panel(pageB)).not.toContainText(reason);
  await expect(panel(pageB)).not.toContainText(`SUP-${RUN}-1`);
  // B's own answer form, pointed at A's request: the server does not find it for B.
  const itemB = pageB.getByTestId("access-request").filter({ hasText: `SUP-${RUN}-B` });
  await itemB.locator('input[name="requestId"]').first().evaluate((el, id) => ((el as HTMLInputElement).value = id), requestIdOfA);
  await itemB.getByRole("button", { name: /^Approve/ }).click();
  await expect(panel(pageB).getByRole("alert")).toContainText("could not find that access request");

  await pageA.reload();
  await expect(pageA.getByTestId("access-request").filter({ hasText: reason })).toBeVisible(); // still unanswered
  // A declines; the declined request is refused at reveal time even when its id is sent.
  const declinedId = requestIdOfA;
  await answer(pageA, reason, "Decline");
  await expect(panel(pageA).getByTestId("access-outcome").first()).toHaveText("Declined");

  // A new request, approved for the period, gives the staff page a reveal form; pointed at the declined one → refused.
  const boxed = `Ticket SUP-${RUN}-3: time-boxed then withdrawn`;
  await requestAccess(staffPage, a.id, boxed, "4");
  await answer(pageA, boxed, "Approve", "For the whole");
  await staffPage.goto(`/staff/onboardings/${a.id}`);
  const card = staffCard(staffPage);
  const hidden = card.locator('input[name="requestId"]');
  const approvedId = await hidden.inputValue();
  await hidden.evaluate((el, id) => ((el as HTMLInputElement).value = id), declinedId);
  await submitReveal(staffPage, `Trying the declined request ${RUN}`);
  await expect(card.getByRole("alert")).toContainText("declined this request");

  // Withdrawn by the brokerage while the staff page is open → refused.
  await hidden.evaluate((el, id) => ((el as HTMLInputElement).value = id), approvedId);
  await pageA.goto("/o");
  await panel(pageA).getByTestId("access-in-force").getByRole("button", { name: /^Withdraw/ }).click();
  await expect(panel(pageA).getByText("Withdrawn.")).toBeVisible();
  await submitReveal(staffPage, `Trying the withdrawn approval ${RUN}`);
  await expect(card.getByRole("alert")).toContainText("withdrew this approval");
});

test("an expired approval is refused and shows as expired", async () => {
  const reason = `Ticket SUP-${RUN}-4: expires before use`;
  const staffPage = await staffContext.newPage();
  await requestAccess(staffPage, a.id, reason);
  const pageA = await brokerageA.newPage();
  await pageA.goto("/o");
  const requestId = await pendingRequestId(pageA, reason);
  await answer(pageA, reason, "Approve", "For the whole");
  await staffPage.goto(`/staff/onboardings/${a.id}`);
  await expect(staffCard(staffPage).getByRole("button", { name: "Reveal the password" })).toBeVisible();

  // The server's clock cannot be moved, so the approval's end is moved into the past in its database.
  const database = new BetterSqlite3(path.join(e2eDataDir(), "onboarding.db"));
  try {
    database.pragma("busy_timeout = 5000");
    database.prepare("update access_requests set approved_until = ? where id = ?").run(new Date(Date.now() - 60_000).toISOString(), requestId);
  } finally {
    database.close();
  }
  await submitReveal(staffPage, `Trying the expired approval ${RUN}`);
  await expect(staffCard(staffPage).getByRole("alert")).toContainText("has expired");
  await pageA.reload();
  await expect(panel(pageA).getByTestId("access-outcome").first()).toHaveText("Expired");
  await expect(panel(pageA).getByTestId("access-in-force")).toHaveCount(0);
});
