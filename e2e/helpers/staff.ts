import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { e2eDataDir } from "./workspace";

/**
 * Staff accounts for e2e: created with the real CLI (`npm run staff:create`) in the e2e server's data
 * directory, then set up in the browser exactly as a new colleague would: one-time link → password →
 * authenticator enrolment (the code is computed from the secret the page shows).
 */
export type StaffAccount = { email: string; password: string; totpSecret: string; role: "staff" | "techops" };

const lastStep = new Map<string, number>();

/**
 * A code the server will take: it refuses a time step already used (replay), so a second sign-in within the same
 * 30 s gets the next step's code (accepted: the server allows one step of clock drift), or waits for it.
 */
export async function totpCode(secret: string): Promise<string> {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  const now = () => Math.floor(Date.now() / 30_000);
  let step = Math.max(now(), (lastStep.get(secret) ?? -1) + 1);
  while (step > now() + 1) await new Promise((r) => setTimeout(r, 1000));
  step = Math.max(step, now());
  lastStep.set(secret, step);
  return totp.generate({ timestamp: step * 30_000 });
}

/** Runs `npm run staff:create` against the e2e data and returns the one-time set-up URL it prints. */
export function createStaffSetupLink(email: string, role: "staff" | "techops" = "staff"): string {
  const out = execFileSync("npm", ["run", "-s", "staff:create", "--", "--email", email, "--role", role], {
    env: { ...process.env, DATA_DIR: e2eDataDir(), APP_URL: baseURL, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const url = out.match(/https?:\/\/\S+\/staff\/setup\/\S+/)?.[0];
  if (!url) throw new Error(`staff:create printed no set-up link:\n${out}`);
  return url;
}

/** Creates a staff member, sets the password and enrols TOTP in `page`; leaves the page on the dashboard. */
export async function signUpStaff(page: Page, role: "staff" | "techops" = "staff"): Promise<StaffAccount> {
  const email = `e2e-${randomBytes(4).toString("hex")}@moxiworks.test`;
  // Generated per run, never printed: the plaintext password must not reach logs or test output.
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  await page.goto(createStaffSetupLink(email, role));
  await expect(page).toHaveURL(/\/staff\/setup$/);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page).toHaveURL(/\/staff\/enroll$/);
  const totpSecret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s+/g, "");
  await page.getByLabel("Code from the app").fill(await totpCode(totpSecret));
  await page.getByRole("button", { name: "Confirm and continue" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  return { email, password, totpSecret, role };
}

/** Signs an existing staff member in (password, then the authenticator code). */
export async function signInStaff(page: Page, account: StaffAccount) {
  await page.goto("/staff/sign-in");
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff\/two-factor$/);
  await page.getByLabel("Code").fill(await totpCode(account.totpSecret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}
