import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { OIDC_CLIENT, startTestProvider, type TestProvider } from "./helpers/oidc-provider";
import { totpCode } from "./helpers/staff";

/**
 * Staff sign-in through a real OpenID provider (oidc-provider, started here). A second app server on the same
 * build runs with OIDC configured (the suite's main server keeps password sign-in, so its specs are unchanged).
 * Ports: the suite's E2E_PORT + 7 (provider) and + 8 (this app).
 */
const mainPort = Number(new URL(baseURL).port);
const providerPort = mainPort + 7;
const appPort = mainPort + 8;
const app = `http://127.0.0.1:${appPort}`;
const dataDir = `test-results/e2e-oidc-data-${appPort}`;
const env = {
  ...process.env,
  PORT: String(appPort),
  DATA_DIR: dataDir,
  APP_URL: app,
  NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
  LOG_LEVEL: "warn",
  SCHEDULER_INTERVAL_MS: "60000",
  OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
  OIDC_CLIENT_ID: OIDC_CLIENT.id,
  OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
  OIDC_ROLE_CLAIM: "roles",
  OIDC_STAFF_VALUES: "onboarding-staff",
  OIDC_TECHOPS_VALUES: "onboarding-techops",
  OIDC_RECHECK_SECONDS: "2",
};

let provider: TestProvider;
let server: ChildProcess;
const SEED_PASSWORD = `Oidc-Seed-${Date.now()}-Pw!`;
let seeded: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  provider = await startTestProvider(providerPort, `${app}/staff/oidc/callback`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  server = spawn("node", ["scripts/serve.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  await expect.poll(async () => (await fetch(`${app}/api/health`).catch(() => undefined))?.status, { timeout: 90_000, intervals: [500] }).toBe(200);
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "e2e/helpers/oidc-seed.ts", SEED_PASSWORD], { env, encoding: "utf8" });
  seeded = (JSON.parse(out.trim().split("\n").pop()!) as { id: string }).id;
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await provider?.close();
});

/** From the app's sign-in page through the provider's login, as `sub`; returns on whatever page the app answers. */
async function signInWithProvider(page: Page, sub: string, options: { mfa?: boolean; beforeSubmit?: () => Promise<void> } = {}) {
  await page.goto(`${app}/staff/sign-in`);
  await page.getByRole("link", { name: "Sign in with your company account" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Subject").fill(sub);
  if (options.mfa) await page.getByLabel("with MFA").check();
  await options.beforeSubmit?.();
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a staff member signs in with the company account: the dashboard opens as staff", async ({ page }) => {
  provider.accounts.set("staff-1", { email: "sam.staff@moxiworks.test", name: "Sam Staff", roles: ["onboarding-staff"] });
  await signInWithProvider(page, "staff-1");
  await expect(page).toHaveURL(`${app}/staff`);
  await expect(page.getByText("Sam Staff")).toBeVisible();
  await expect(page.getByText("(staff)")).toBeVisible();
});

test("someone whose claim maps to no role is refused with a clear page", async ({ page }) => {
  provider.accounts.set("nobody", { email: "nobody@moxiworks.test", name: "No Role", roles: ["marketing"] });
  await signInWithProvider(page, "nobody");
  await expect(page).toHaveURL(/\/staff\/oidc\/refused\?why=no-role$/);
  await expect(page.getByRole("heading", { name: "Your company account has no access to this tool" })).toBeVisible();
  await page.goto(`${app}/staff`);
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

/** Rewrites one field of the pending sign-in this browser keeps (state, nonce), as a forged or mixed-up response would. */
async function tamperPending(context: BrowserContext, field: "state" | "nonce", value: string) {
  const cookie = (await context.cookies(`${app}/staff/oidc/callback`)).find((c) => c.name === "moxi_oidc")!;
  const pending = JSON.parse(decodeURIComponent(cookie.value)) as Record<string, string>;
  expect(pending[field]).toBeTruthy();
  pending[field] = value;
  await context.addCookies([{ ...cookie, value: encodeURIComponent(JSON.stringify(pending)) }]);
}

test("a state that does not match the one this browser sent is refused", async ({ page, context }) => {
  provider.accounts.set("staff-2", { email: "s2@moxiworks.test", name: "Staff Two", roles: ["onboarding-staff"] });
  // The provider answers with the state it was given; this browser now expects another one (a forged callback).
  await signInWithProvider(page, "staff-2", { beforeSubmit: () => tamperPending(context, "state", "tampered-state-value-0123456789") });
  await expect(page).toHaveURL(/\/staff\/oidc\/refused\?why=failed$/);
  await expect(page.getByRole("heading", { name: "That sign-in could not be confirmed" })).toBeVisible();
  await page.goto(`${app}/staff`);
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test("a nonce that does not match the ID token's is refused", async ({ page, context }) => {
  provider.accounts.set("staff-3", { email: "s3@moxiworks.test", name: "Staff Three", roles: ["onboarding-staff"] });
  // The ID token carries the nonce the provider was given; this browser now expects another (a replayed token).
  await signInWithProvider(page, "staff-3", { beforeSubmit: () => tamperPending(context, "nonce", "tampered-nonce-value-0123456789abc") });
  await expect(page).toHaveURL(/\/staff\/oidc\/refused\?why=failed$/);
  await page.goto(`${app}/staff`);
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test("TechOps signed in with MFA reveals a password with a reason only; without MFA the reveal asks for MFA", async ({ page, browser }) => {
  provider.accounts.set("ops-1", { email: "tess.ops@moxiworks.test", name: "Tess Ops", roles: ["onboarding-staff", "onboarding-techops"] });
  await signInWithProvider(page, "ops-1", { mfa: true });
  await expect(page).toHaveURL(`${app}/staff`);
  await expect(page.getByText("(TechOps)")).toBeVisible();
  await page.goto(`${app}/staff/onboardings/${seeded}/reveal`);
  await expect(page.getByLabel("Your password")).toHaveCount(0);
  await expect(page.getByLabel("Authenticator code")).toHaveCount(0);
  await page.getByLabel("Reason").fill("TICKET-19 e2e: checking the SSO reveal path");
  await page.getByRole("button", { name: "Reveal the password" }).click();
  await expect(page.getByText(SEED_PASSWORD)).toBeVisible();

  const other = await browser.newContext();
  const noMfa = await other.newPage();
  provider.accounts.set("ops-2", { email: "otto.ops@moxiworks.test", name: "Otto Ops", roles: ["onboarding-techops"] });
  await signInWithProvider(noMfa, "ops-2");
  await expect(noMfa).toHaveURL(`${app}/staff`);
  await noMfa.goto(`${app}/staff/onboardings/${seeded}/reveal`);
  await expect(noMfa.getByTestId("mfa-needed")).toBeVisible();
  await expect(noMfa.getByRole("button", { name: "Reveal the password" })).toHaveCount(0);
  await other.close();
});

test("a disabled account loses access at its next session check; an active one keeps it", async ({ page, browser }) => {
  provider.accounts.set("leaver", { email: "lee.leaver@moxiworks.test", name: "Lee Leaver", roles: ["onboarding-staff"] });
  provider.accounts.set("stayer", { email: "sal.stayer@moxiworks.test", name: "Sal Stayer", roles: ["onboarding-staff"] });
  await signInWithProvider(page, "leaver");
  await expect(page).toHaveURL(`${app}/staff`);
  const other = await browser.newContext();
  const stayer = await other.newPage();
  await signInWithProvider(stayer, "stayer");
  await expect(stayer).toHaveURL(`${app}/staff`);

  provider.accounts.get("leaver")!.disabled = true;
  // OIDC_RECHECK_SECONDS is 2 here: past it, the next request asks the provider (refresh token grant).
  await page.waitForTimeout(2500);
  await page.goto(`${app}/staff`);
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
  await stayer.goto(`${app}/staff`);
  await expect(stayer).toHaveURL(`${app}/staff`);
  await expect(stayer.getByText("Sal Stayer")).toBeVisible();
  await other.close();
});

/** A password account in this server's data (npm run staff:create), its password set through the set-up link. */
async function passwordAccount(page: Page, role: "staff" | "techops"): Promise<{ email: string; password: string; totpSecret?: string }> {
  const email = `bg-${role}-${randomBytes(4).toString("hex")}@moxiworks.test`;
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  const out = execFileSync("npm", ["run", "-s", "staff:create", "--", "--email", email, "--role", role], { env: { ...env, LOG_LEVEL: "warn" }, encoding: "utf8" });
  await page.goto(out.match(/https?:\/\/\S+\/staff\/setup\/\S+/)![0]);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page).toHaveURL(/\/staff\/enroll$/);
  if (role === "staff") return { email, password };
  const totpSecret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
  await page.getByLabel("Code from the app").fill(await totpCode(totpSecret));
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page).toHaveURL(`${app}/staff`);
  return { email, password, totpSecret };
}

test("break-glass: a staff account's password is refused, a TechOps password (with TOTP) signs in and is in the audit log", async ({ browser }) => {
  const setup = await browser.newContext();
  const staff = await passwordAccount(await setup.newPage(), "staff");
  const ops = await passwordAccount(await setup.newPage(), "techops");
  await setup.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app}/staff/sign-in`);
  await expect(page.getByRole("heading", { name: "Break-glass sign-in (TechOps only)" })).toBeVisible();
  await page.getByLabel("Email address").fill(staff.email);
  await page.getByLabel("Password").fill(staff.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  await expect(page).toHaveURL(`${app}/staff/sign-in`);

  await page.getByLabel("Email address").fill(ops.email);
  await page.getByLabel("Password").fill(ops.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${app}/staff/two-factor`);
  await page.getByLabel("Code").fill(await totpCode(ops.totpSecret!));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(`${app}/staff`);
  await page.goto(`${app}/staff/audit`);
  // (The event type filter lists the same words as hidden options: only visible entries count.)
  await expect(page.getByText("Break-glass password sign-in (TechOps)").filter({ visible: true }).first()).toBeVisible();
  await expect(page.getByText("Password sign-in refused (staff sign in with the identity provider)").filter({ visible: true }).first()).toBeVisible();
  await context.close();
});
