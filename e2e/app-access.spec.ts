import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";
import { baseURL, mailSink, sim } from "../playwright.config";
import { createOnboardingWithLink, e2eDataDir, openGuideSection } from "./helpers/workspace";
import { privateKeyForms } from "../lib/graph/key-forms";
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_EXPIRED_CLIENT_SECRET } from "../tools/exchange-sim/m365-scenarios";
import { databaseBytes, hits, recordResponses, SERVER_LOG } from "./helpers/leak";
import { signUpStaff } from "./helpers/staff";

// Issue 12 "Done when": a Microsoft 365 brokerage connects with MoxiWorks's app against the simulator's Entra and
// Graph (the app runs with MICROSOFT_* pointed at it, playwright.config.ts).

// The simulated Microsoft pages are served over HTTPS with the simulator's own CA, which this browser does not know.
test.use({ ignoreHTTPSErrors: true });

type Mail = { to: string[]; subject: string; text: string };
const mailTo = async (address: string) => ((await (await fetch(mailSink.url)).json()) as Mail[]).filter((m) => m.to.includes(address));

function serviceToken(): string {
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/service-token-create.ts", "--name", `e2e-app-${Date.now()}`], {
    env: { ...process.env, DATA_DIR: e2eDataDir(), APP_URL: baseURL, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  return out.trim().split("\n").pop()!.trim();
}

/** A fresh simulated tenant per test (any `<label>.sim.test` is a healthy tenant), so scenarios do not collide. */
function tenant(label: string) {
  const domain = `${label}-${Date.now()}.sim.test`;
  return { domain, admin: `admin@${domain}`, agent: `agent@${domain}` };
}

const appCard = (page: Page) => page.getByRole("region", { name: "Microsoft 365 app access (recommended)" });
/** The app-access card's live test (the same streamed test as the service account's, with Graph's stages). */
const liveTest = (page: Page) => appCard(page).getByTestId("live-test");

async function grantConsent(page: Page, account: string, decision: "Accept" | "Cancel" = "Accept") {
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await expect(page.getByText("Sign in and read user profile")).toBeVisible();
  await page.getByLabel("Signed in as").fill(account);
  await page.getByRole("button", { name: decision, exact: true }).click();
}

async function fillDetails(page: Page, t: ReturnType<typeof tenant>) {
  const card = appCard(page);
  await card.getByLabel("Group name", { exact: true }).fill("MoxiEngage Agents");
  await card.getByLabel("Test mailbox", { exact: true }).fill(t.agent);
  await card.getByLabel("Out-of-reach mailbox", { exact: true }).fill(t.admin);
}

test("follow the guide, consent on Microsoft's page, test live, submit → verified → mail → the sync reads the graph_app record", async ({ page, request }) => {
  test.slow(); // consent, a live test, a submission and its verification: the longest walk here (over 60 s on a loaded 2-core machine)
  const t = tenant("app-happy");
  const contact = `app-${Date.now()}@acme.test`;
  const { id, url } = createOnboardingWithLink("App Access Realty", contact, "microsoft-365");
  await page.goto(url);
  await expect(appCard(page)).toContainText("Consent has not been granted yet");
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin);
  await expect(page.getByRole("heading", { name: "Consent granted" })).toBeVisible();
  await page.getByRole("link", { name: "Back to your workspace" }).click();
  await expect(page.getByTestId("consent-status")).toContainText("Consent granted");

  // The guide is now the app-access track, personalised with the app id.
  await expect(page.getByRole("heading", { name: "Setup guide: Microsoft 365 — app access (recommended)" })).toBeVisible();
  await expect(page.locator("#scope-app-access-2 pre[data-command]")).toContainText(SIM_CLIENT_ID);
  await openGuideSection(page, "grant-consent");
  const tick = page.locator("#grant-consent-2").getByRole("checkbox").first();
  await tick.check();
  await expect(tick).toBeChecked();

  await fillDetails(page, t);
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  const result = liveTest(page);
  // Live: the first stages are shown while the test still runs (the button says so), then the verdict.
  await expect(result.getByTestId("test-step").first()).toBeVisible({ timeout: 30_000 });
  await expect(result).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  await expect(result.getByTestId("test-summary")).toHaveText(/The app-access test passed/);
  await expect(result.getByLabel(/Steps finished/)).toBeVisible();
  await expect(result.locator('[data-stage="out-of-scope"]')).toHaveAttribute("data-status", "passed");
  // The page refreshes after the test (history, next step): the form still holds what was tested, to submit it.
  await expect(appCard(page).getByLabel("Test mailbox", { exact: true })).toHaveValue(t.agent);

  await appCard(page).getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await expect.poll(async () => (await mailTo(contact)).length, { timeout: 20_000 }).toBeGreaterThan(0);

  const res = await request.get(`/api/v1/credentials/${id}`, { headers: { Authorization: `Bearer ${serviceToken()}` } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ method: "graph_app", onboardingId: id, clientId: SIM_CLIENT_ID, scope: { group: "MoxiEngage Agents" } });
  expect(body.tenantId).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.stringify(body)).not.toContain(SIM_CLIENT_SECRET);
  expect(await page.content()).not.toContain(SIM_CLIENT_SECRET);
});

test("consent declined → a clear page → Try again works", async ({ page }) => {
  const t = tenant("app-declined");
  const { url } = createOnboardingWithLink("Declined App Realty", `declined-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin, "Cancel");
  await expect(page.getByRole("heading", { name: "Consent was declined" })).toBeVisible();
  await expect(page.getByText("AADSTS65004")).toBeVisible();
  await page.getByRole("link", { name: "Try again" }).click();
  await grantConsent(page, t.admin);
  await expect(page.getByRole("heading", { name: "Consent granted" })).toBeVisible();
});

test("a replayed or forged consent answer gets a plain page, never a 500", async ({ page }) => {
  for (const q of ["", "?state=forged-state-value-0123456789abc&admin_consent=True&tenant=00000000-0000-0000-0000-000000000000", "?error=access_denied", `?state=${"x".repeat(5000)}`]) {
    const res = await page.goto(`/api/consent/callback${q}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator("[data-consent-outcome]")).toBeVisible();
  }
});

test("no role assignment → needs attention with app_access_denied pointing at the scope step → fixed → re-run → verified", async ({ page, browser }) => {
  test.slow(); // a submission, two Graph tests and a staff sign-up
  const t = tenant("app-denied");
  const { id, url } = createOnboardingWithLink("Denied App Realty", `denied-app-${Date.now()}@acme.test`, "microsoft-365");
  await fetch(`${sim.m365AdminUrl}/scenario?mailbox=${encodeURIComponent(t.agent)}&scenario=no-role-assignment`, { method: "PUT" });
  await page.goto(url);
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin);
  await page.getByRole("link", { name: "Back to your workspace" }).click();
  await fillDetails(page, t);
  await appCard(page).getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Needs attention", { timeout: 30_000 });
  const finding = page.getByTestId("finding").first();
  await expect(finding).toHaveAttribute("data-cause", "app_access_denied");
  // the guide step opens inside the workspace, not on the public page
  await expect(finding.locator('a[href="/o?step=prepare#scope-app-access-4"]')).toBeVisible();

  await fetch(`${sim.m365AdminUrl}/scenario?mailbox=${encodeURIComponent(t.agent)}&scenario=`, { method: "PUT" });
  // Fixed: the brokerage's own live test now passes…
  await fillDetails(page, t);
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  await expect(liveTest(page)).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  // …and MoxiWorks staff re-run the verification live from the detail page: the Graph test, not a password's.
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await signUpStaff(staff, "staff");
  await staff.goto(`/staff/onboardings/${id}`);
  await staff.getByRole("button", { name: "Re-run verification" }).click();
  await expect(staff.getByTestId("live-test").locator('[data-stage="out-of-scope"]')).toBeVisible({ timeout: 30_000 });
  await expect(staff.getByTestId("test-summary")).toHaveText(/The test passed/, { timeout: 30_000 });
  await staffContext.close();
  await page.reload();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
});

test("an out-of-reach mailbox that can be read → app_scope_too_broad", async ({ page }) => {
  const t = tenant("app-broad");
  const { url } = createOnboardingWithLink("Broad App Realty", `broad-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin);
  await page.getByRole("link", { name: "Back to your workspace" }).click();
  await fetch(`${sim.m365AdminUrl}/scenario?tenant=${encodeURIComponent(t.domain)}&scenario=tenant-wide-grant`, { method: "PUT" });
  await fillDetails(page, t);
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  const result = liveTest(page);
  await expect(result).toHaveAttribute("data-outcome", "failed", { timeout: 30_000 });
  await expect(result.getByTestId("finding").first()).toHaveAttribute("data-cause", "app_scope_too_broad");
});

test("the app-access form refuses bad input", async ({ page }) => {
  const t = tenant("app-bad");
  const { url } = createOnboardingWithLink("Bad Input App Realty", `bad-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  // The test endpoint itself: before consent there is nothing to test, and a malformed body is named field by field.
  const post = (data: unknown) => page.request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data });
  const details = { appAccess: true, groupName: "MoxiEngage Agents", testMailbox: t.agent, outOfScopeMailbox: t.admin };
  const early = await post(details);
  expect(early.status()).toBe(409);
  expect((await early.json()).error.message).toMatch(/Grant MoxiEngage consent/);
  const malformed = await post({ ...details, testMailbox: ["x"], outOfScopeMailbox: "a".repeat(300) });
  expect(malformed.status()).toBe(400);
  expect(Object.keys((await malformed.json()).error.fieldErrors).sort()).toEqual(["outOfScopeMailbox", "testMailbox"]);
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin);
  await page.getByRole("link", { name: "Back to your workspace" }).click();
  const card = appCard(page);
  await card.getByLabel("Group name", { exact: true }).fill("x'; Remove-Mailbox -Identity *");
  await card.getByLabel("Test mailbox", { exact: true }).fill("../../users");
  await card.getByLabel("Out-of-reach mailbox", { exact: true }).fill("../../users");
  await card.getByRole("button", { name: "Run the app-access test" }).click();
  await expect(card.getByText("Use the group's name as in Exchange")).toBeVisible();
  await expect(card.locator("#testMailbox-error")).toBeVisible();
  // Named in the form before anything is sent: no test ran.
  await expect(liveTest(page).getByTestId("test-step")).toHaveCount(0);
  await expect(liveTest(page).getByTestId("test-summary")).toHaveText("");
  // Typed straight into the address bar (not a click on our page), the start of consent goes nowhere.
  await page.goto("/api/consent/start");
  await expect(page.locator('[data-consent-outcome="state_other_session"]')).toBeVisible();
});

test("the public app-access guide: recommended, personalised commands, axe clean", async ({ page }) => {
  await page.goto("/guide");
  await expect(page.getByRole("link", { name: "Microsoft 365 — app access (recommended)" })).toHaveAttribute("href", "/guide/microsoft-365-app-access");
  await page.goto("/guide/microsoft-365-app-access");
  await expect(page.locator('[data-checklist-ready="true"]')).toBeAttached();
  for (const id of ["grant-consent", "create-agent-group", "scope-app-access", "check-app-access", "test-app-access", "troubleshoot-app-access"]) await expect(page.locator(`section#${id}`), id).toHaveCount(1);
  await page.getByLabel("Group name").fill("MoxiEngage Agents");
  await page.getByLabel("Test mailbox address").fill("agent@contoso.com");
  await page.getByLabel("Out-of-reach mailbox address").fill("boss@contoso.com");
  await expect(page.locator("#check-app-access-1 pre[data-command]")).toContainText(`Test-ServicePrincipalAuthorization -Identity "${SIM_CLIENT_ID}" -Resource "agent@contoso.com"`);
  await expect(page.locator("#create-agent-group-2 pre[data-command]").nth(1)).toContainText('New-DistributionGroup -Name "MoxiEngage Agents" -Type Security -Members "agent@contoso.com"');
  expect(await axeViolations(page)).toEqual([]);
});

test("the app's private key, client secrets and every access token the server obtained leak nowhere", async ({ page }) => {
  test.slow(); // the same walk as the first test, plus the searches
  const responses = recordResponses(page);
  const urls: string[] = [];
  page.on("framenavigated", (f) => urls.push(f.url()));
  const t = tenant("app-leak");
  const { url } = createOnboardingWithLink("Leak App Realty", `leak-app-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  // Every way the server gets a token: the consent callback's check, a live test (with the test message), verification.
  await appCard(page).getByRole("link", { name: "Grant access in Microsoft 365" }).click();
  await grantConsent(page, t.admin);
  await page.getByRole("link", { name: "Back to your workspace" }).click();
  await fillDetails(page, t);
  await appCard(page).getByLabel("Also send a test message").check();
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  await expect(liveTest(page)).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  await fillDetails(page, t);
  await appCard(page).getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await page.reload();

  // The e2e server holds the simulator app's certificate credential (playwright.config.ts); the simulator lists
  // every access token its Entra issued — in e2e only this server asks it for tokens.
  const keyPem = fs.readFileSync(sim.appKeyFile, "utf8");
  const { tokens } = (await (await fetch(`${sim.m365AdminUrl}/tokens`)).json()) as { tokens: string[] };
  expect(tokens.length, "the server obtained tokens (consent check, live test, verification)").toBeGreaterThanOrEqual(3);
  const secrets = [...privateKeyForms(keyPem), SIM_CLIENT_SECRET, SIM_EXPIRED_CLIENT_SECRET, ...tokens];

  const dom = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await page.context().cookies());
  const db = databaseBytes();
  const serverLog = fs.readFileSync(SERVER_LOG);
  // The searches work: the test mailbox is in the database, the key's body is in the key file.
  expect(hits(db, t.agent)).toBeGreaterThan(0);
  for (const line of privateKeyForms(keyPem).slice(3)) expect(hits(keyPem, line)).toBeGreaterThan(0);
  const count = (hay: Buffer | string) => secrets.reduce((n, s) => n + hits(hay, s), 0);
  expect({
    database: count(db),
    serverLog: count(serverLog),
    responses: responses.reduce((n, b) => n + count(b), 0),
    dom: count(dom),
    storage: count(storage),
    cookies: count(cookies),
    urls: count(urls.join("\n")),
  }).toEqual({ database: 0, serverLog: 0, responses: 0, dom: 0, storage: 0, cookies: 0, urls: 0 });
});
