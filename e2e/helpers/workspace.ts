import { execFileSync } from "node:child_process";
import { baseURL } from "../../playwright.config";

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
