import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { baseURL, mailSink, sim } from "../playwright.config";
import { callAction } from "./helpers/actions";
import { signInStaff, signUpStaff, totpCode, type StaffAccount } from "./helpers/staff";
import { e2eDataDir, fillAndSubmit, SIM_PASSWORD } from "./helpers/workspace";

/**
 * Issue 21: TechOps opens a security incident for 50 brokerages verified against the simulator (seeded by
 * e2e/helpers/seed-verified.ts through the real verification), 50 mails reach the SMTP sink, three brokerages
 * submit new details and verify, the incident page counts them, a reminder goes to the rest, and staff without
 * the TechOps role can neither see nor open incidents.
 */
test.describe.configure({ mode: "serial" });
const N = 50;
const tag = `inc${Date.now().toString(36)}`;
type Seeded = { id: string; url: string; email: string };

function seed(): Seeded[] {
  const env = {
    ...process.env,
    DATA_DIR: e2eDataDir(),
    APP_URL: baseURL,
    LOG_LEVEL: "warn",
    EXCHANGE_ALLOWED_HOSTS: `127.0.0.1:${sim.httpPort},127.0.0.1:${sim.httpsPort}`,
    EXCHANGE_EXTRA_CA_FILE: sim.caFile,
  };
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "e2e/helpers/seed-verified.ts", String(N), tag, sim.ewsUrl, SIM_PASSWORD], { env, encoding: "utf8", timeout: 240_000 });
  return JSON.parse(out.trim().split("\n").pop()!) as Seeded[];
}

async function sinkMessages(page: Page, subject: RegExp): Promise<{ to: string[]; subject: string; text: string }[]> {
  const all = (await (await page.request.get(mailSink.url)).json()) as { to: string[]; subject: string; text: string }[];
  return all.filter((m) => subject.test(m.subject) && m.to.some((t) => t.endsWith(`@${tag}.test`)));
}

let techops: StaffAccount;
let staff: StaffAccount;
let seeded: Seeded[];
let incidentUrl: string;

test("TechOps opens an incident for 50 verified brokerages and every one is mailed", async ({ page, browser }) => {
  test.setTimeout(400_000);
  seeded = seed();
  expect(seeded).toHaveLength(N);
  techops = await signUpStaff(page, "techops");
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Incidents" }).click();
  await expect(page).toHaveURL(/\/staff\/incidents$/);
  await page.getByRole("link", { name: "Open a new incident" }).click();

  // Bad input first: nothing typed.
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("Name the incident");

  await page.getByLabel("Incident name").fill(`Phishing ${tag}`);
  await page.getByLabel("What happened").fill("A phishing mail reached the admins of the vendor portal.");
  await page.getByRole("radio", { name: "Verified brokerages matching a dashboard filter" }).check();
  await page.getByLabel("Search").fill(tag);
  await page.getByRole("button", { name: "Review" }).click();
  const review = page.getByTestId("incident-review");
  await expect(review.getByRole("heading", { level: 2 })).toHaveText(`${N} brokerages affected`);
  await expect(review).toContainText("A phishing mail reached the admins of the vendor portal.");
  await expect(review).toContainText("please set a new password for the MoxiEngage service account");

  // A wrong code is refused and nothing is opened.
  await review.getByLabel("Your password").fill(techops.password);
  await review.getByLabel("Authenticator code").fill("000000");
  await review.getByRole("button", { name: `Open the incident and notify ${N}` }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText("password or authenticator code was not accepted");

  await review.getByLabel("Your password").fill(techops.password);
  await review.getByLabel("Authenticator code").fill(await totpCode(techops.totpSecret));
  await review.getByRole("button", { name: `Open the incident and notify ${N}` }).click();
  await expect(page).toHaveURL(/\/staff\/incidents\/[0-9a-z]{26}$/, { timeout: 60_000 });
  incidentUrl = page.url();
  await expect(page.getByTestId("count-members")).toHaveText(String(N));
  await expect(page.getByTestId("count-notified")).toHaveText(String(N));

  await expect.poll(async () => (await sinkMessages(page, /security notice/)).length, { timeout: 60_000 }).toBe(N);
  const mails = await sinkMessages(page, /security notice/);
  expect(new Set(mails.flatMap((m) => m.to)).size).toBe(N);
  // (quoted-printable soft line breaks removed before reading the body)
  expect(mails[0]!.text.replace(/=\r?\n/g, "")).toContain(`Phishing ${tag}`);
  void browser;
});

test("three brokerages rotate and verify, the incident page counts them, and a reminder goes to the rest", async ({ browser, page }) => {
  test.setTimeout(240_000);
  for (const b of seeded.slice(0, 3)) {
    const context = await browser.newContext();
    const admin = await context.newPage();
    await admin.goto(b.url);
    await fillAndSubmit(admin, { serviceAccount: `svc-moxi@${tag}.test`, testMailbox: "agent-new@healthy.sim.test" });
    await expect(admin.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 60_000 });
    await context.close();
  }
  await signInStaff(page, techops);
  await page.goto(incidentUrl);
  await expect(page.getByTestId("count-verified")).toHaveText("3");
  await expect(page.getByTestId("count-submitted")).toHaveText("3");
  await expect(page.getByTestId("count-outstanding")).toHaveText(String(N - 3));
  await page.getByRole("button", { name: "Send reminder to the rest" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reminder queued" })).toHaveText(`Reminder queued for ${N - 3} brokerages.`);
  await expect.poll(async () => (await sinkMessages(page, /reminder/)).length, { timeout: 60_000 }).toBe(N - 3);
  const reminded = new Set((await sinkMessages(page, /reminder/)).flatMap((m) => m.to));
  for (const b of seeded.slice(0, 3)) expect(reminded.has(b.email)).toBe(false);
  // The close button stays disabled while brokerages are outstanding.
  await expect(page.getByRole("button", { name: "Close the incident" })).toBeDisabled();
  const csv = await page.request.get(`${incidentUrl}/export`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split("\r\n")).toHaveLength(N + 1);
});

test("staff without the TechOps role can neither see nor open incidents", async ({ page }) => {
  staff = await signUpStaff(page, "staff");
  await expect(page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Incidents" })).toHaveCount(0);
  for (const path of ["/staff/incidents", "/staff/incidents/new", new URL(incidentUrl).pathname]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText(`Phishing ${tag}`)).toHaveCount(0);
  }
  const csv = await page.request.get(`${incidentUrl}/export`);
  expect(csv.status()).toBe(404);
  expect(await csv.text()).not.toContain(tag);
  // Every incident action, called directly as the browser would, is refused.
  const incidentId = new URL(incidentUrl).pathname.split("/").pop()!;
  const draft = { name: "Sneaky", reason: "Trying without the TechOps role.", dueDays: "7", reminderEveryHours: "0", kind: "all_verified" };
  const calls: [string, Record<string, string>][] = [
    ["reviewIncidentAction", draft],
    ["openIncidentAction", { ...draft, password: staff.password, code: await totpCode(staff.totpSecret), expectedCount: "1" }],
    ["remindIncidentAction", { incidentId }],
    ["exceptMemberAction", { incidentId, onboardingId: seeded[3]!.id, reason: "Trying without the TechOps role." }],
    ["recordAppRotationAction", { incidentId, note: "Trying without the TechOps role." }],
    ["closeIncidentAction", { incidentId, note: "Trying without the TechOps role." }],
  ];
  for (const [name, fields] of calls) {
    const path = name === "reviewIncidentAction" || name === "openIncidentAction" ? "/staff/incidents/new" : new URL(incidentUrl).pathname;
    expect(await callAction(page.request, path, { name }, fields), name).toBe("forbidden");
  }
  expect(await page.request.get(mailSink.url).then((r) => r.json()).then((all: { subject: string; to: string[] }[]) => all.filter((m) => /reminder/.test(m.subject) && m.to.some((t) => t.endsWith(`@${tag}.test`))).length)).toBe(N - 3);
});
