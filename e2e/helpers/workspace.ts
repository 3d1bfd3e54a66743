import { execFileSync } from "node:child_process";
import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { baseURL, sim } from "../../playwright.config";

/** The e2e server's data directory (see playwright.config.ts). */
export function e2eDataDir() {
  return `test-results/e2e-data-${new URL(baseURL).port}`;
}

/** Creates an onboarding in the e2e server's database and returns its one-time invite URL. */
export function createOnboardingWithLink(brokerage: string, email = "admin@acme.test", track?: string): { id: string; url: string } {
  const out = execFileSync(
    "npx",
    ["tsx", "--conditions=react-server", "scripts/onboarding-create.ts", "--brokerage", brokerage, "--contact", "Ada Admin", "--email", email, ...(track ? ["--track", track] : []), "--json"],
    { env: { ...process.env, DATA_DIR: e2eDataDir(), APP_URL: baseURL }, encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as { id: string; url: string };
}


/** The workspace's journey steps by the stepper's names (lib/onboarding/journey.ts). */
export const STEP = {
  host: "Choose your mail host",
  prepare: "Prepare your server",
  test: "Test the connection",
  submit: "Submit for verification",
  verified: "Verified",
} as const;
export type StepKey = keyof typeof STEP;

export const SIM_PASSWORD = "Sim-Passw0rd!";

/** Opens a step from the stepper (always in view) and waits until it is the open one. */
export async function openStep(page: Page, step: StepKey) {
  await page.getByTestId("stepper").getByRole("link", { name: new RegExp(`^${STEP[step]} \\(`) }).click();
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", step);
}

/** Answers the first question (where the mailboxes are hosted) and waits for the guide step to open. */
export async function chooseHost(page: Page, label: string | RegExp) {
  await page.getByRole("radio", { name: label }).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "prepare");
}

/** The one connection form's card (open in the Test and Submit steps). */
export const connectionCard = (page: Page) => page.getByRole("region", { name: "Connection details" });

export type Connection = { serviceAccount?: string; password?: string; testMailbox: string; ewsUrl?: string; authScheme?: "auto" | "ntlm" | "basic" };

/** Opens the Test step if needed and types the details — once: the same form runs the test and submits. */
export async function fillConnection(page: Page, c: Connection) {
  if ((await page.getByTestId("open-step").getAttribute("data-step")) !== "test") await openStep(page, "test");
  const card = connectionCard(page);
  const typed = card.getByRole("radio", { name: "Details I type in now" });
  if (await typed.isVisible()) await typed.check();
  await card.getByLabel("Service account address").fill(c.serviceAccount ?? "svc-moxi@journey.test");
  await card.getByLabel("Service account password").fill(c.password ?? SIM_PASSWORD);
  await card.getByLabel("Test mailbox address").fill(c.testMailbox);
  await card.getByLabel("EWS URL (optional)").fill(c.ewsUrl ?? sim.ewsUrl);
  if (c.authScheme) await card.getByLabel("How the service account signs in").selectOption(c.authScheme);
}

/** Runs the test with what the form holds and waits for its outcome. */
export async function runConnectionTest(page: Page, outcome: "passed" | "failed" = "passed") {
  await connectionCard(page).getByRole("button", { name: "Run the test" }).click();
  await expect(connectionCard(page).getByTestId("test-summary")).toHaveText(outcome === "passed" ? /The test passed/ : /The test failed/, { timeout: 30_000 });
}

/** Submits what the form holds for verification (no retyping) and waits for the Submit step to open. */
export async function submitConnection(page: Page) {
  await connectionCard(page).getByRole("button", { name: "Submit these details for verification" }).click();
  await expect(page.getByTestId("open-step")).toHaveAttribute("data-step", "submit", { timeout: 15_000 });
}

/** Types the details and submits them straight away (for specs whose subject is what happens after). */
export async function fillAndSubmit(page: Page, c: Connection) {
  await fillConnection(page, c);
  await submitConnection(page);
}

/** Unfolds a section of the workspace's guide (sections are folded to heading and progress there). */
export async function openGuideSection(page: Page, sectionId: string) {
  const details = page.locator(`section[id="${sectionId}"] > details`);
  if ((await details.getAttribute("open")) === null) await details.locator("> summary").click();
  await expect(details).toHaveAttribute("open", "");
}
