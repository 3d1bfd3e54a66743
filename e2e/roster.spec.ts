import fs from "node:fs";
import { axeViolations, expect, test } from "./fixtures";
import { sim } from "../playwright.config";
import { createOnboardingWithLink, fillAndSubmit, openStep, SIM_PASSWORD } from "./helpers/workspace";
const setScenario = (address: string, scenario: string) => fetch(`${sim.adminUrl}/scenario?address=${encodeURIComponent(address)}&scenario=${scenario}`, { method: "PUT" });

test("paste 200 agents → live progress → the cause per mailbox → CSV → fix one in the simulator → re-check the failed ones", async ({ page }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const contact = `roster-${stamp}@acme.test`;
  const { url } = createOnboardingWithLink("Roster Realty", contact, "exchange-server");
  await page.goto(url);

  // Verified access first: the roster is checked with it (the Verified step holds the roster section).
  await fillAndSubmit(page, { serviceAccount: "svc-moxi@acme.test", testMailbox: `agent-${stamp}@acme.test` });
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  await openStep(page, "verified");

  const failing = {
    no_mailbox: [1, 2, 3].map((i) => `no-mailbox+${stamp}-${i}@acme.test`),
    not_in_scope: [...[1, 2, 3].map((i) => `impersonation-denied+${stamp}-${i}@acme.test`), `left-out-${stamp}-1@acme.test`, `left-out-${stamp}-2@acme.test`],
    throttled: [1, 2].map((i) => `throttled+${stamp}-${i}@acme.test`),
    timeout: [1, 2].map((i) => `hung+${stamp}-${i}@acme.test`),
  };
  // Two ordinary-looking agents left out of the impersonation scope (Exchange refuses them as it refuses a missing role).
  for (const a of failing.not_in_scope.slice(3)) await setScenario(a, "impersonation-denied");
  const outside = [`agent@gmail.com`, `someone@other-${stamp}.test`];
  const failingAll = Object.values(failing).flat();
  const healthy = Array.from({ length: 200 - failingAll.length - outside.length }, (_, i) => `agent${i}-${stamp}@acme.test`);
  const lines = ["email", ...healthy.slice(0, 100), ...failingAll, ...outside, ...healthy.slice(100), healthy[0]!.toUpperCase(), "not an address"];

  const section = page.getByRole("region", { name: "Check every agent's mailbox" });
  // Bad input first: nothing to read → a clear message, nothing saved.
  await section.getByRole("button", { name: "Check the mailboxes" }).click();
  await expect(section.getByText("Paste the agents' addresses, one per line, or choose a CSV file.")).toBeVisible();

  await section.getByLabel("Agents' email addresses").fill(lines.join("\n"));
  await section.getByRole("button", { name: "Check the mailboxes" }).click();
  await expect(section.getByText(/Checking 198 mailboxes\. 1 duplicate merged\. 2 outside your domains not checked\. 1 line could not be read\./)).toBeVisible();
  // Live progress while the hung mailboxes wait out their deadline.
  await expect(section.getByRole("heading", { name: "Checking the mailboxes…" })).toBeVisible();
  await expect(section.getByRole("progressbar", { name: "Mailboxes checked" })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await expect(section.getByRole("heading", { name: "Check finished" })).toBeVisible({ timeout: 60_000 });
  await expect(section.getByTestId("roster-counts")).toContainText(`198 of 198 checked · ${healthy.length} reachable · ${failingAll.length} not reachable`);

  const table = section.getByTestId("roster-table");
  for (const [cause, addresses] of Object.entries(failing)) {
    for (const a of addresses) await expect(table.getByRole("row", { name: new RegExp(a.replace(/[+.]/g, "\\$&")) })).toHaveAttribute("data-cause", cause);
  }
  await expect(table.getByRole("row", { name: new RegExp(healthy[5]!) })).toHaveAttribute("data-cause", "reachable");
  await section.getByRole("combobox", { name: "Show" }).selectOption("failed");
  await expect(table.getByRole("row")).toHaveCount(failingAll.length + 1);
  expect(await axeViolations(page)).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("link", { name: "Download the results (CSV)" }).click()]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("address,outcome,cause,what it means,guide step,checked at");
  expect(csv).toContain(`"${failing.no_mailbox[0]}","failed","no_mailbox"`);
  expect(csv).toContain(`"${healthy[0]}","reachable"`);
  expect(csv.trim().split("\r\n")).toHaveLength(199);
  expect(csv).not.toContain(SIM_PASSWORD);

  // The admin adds one agent to the scope: re-check the failed ones only.
  const fixed = failing.not_in_scope[3]!;
  await setScenario(fixed, "");
  await section.getByRole("button", { name: "Re-check the failed ones" }).click();
  await expect(section.getByTestId("roster-counts")).toContainText(`${failingAll.length} of ${failingAll.length} checked · ${healthy.length + 1} reachable · ${failingAll.length - 1} not reachable`, { timeout: 60_000 });
  await section.getByRole("combobox", { name: "Show" }).selectOption("all");
  await expect(table.getByRole("row", { name: new RegExp(fixed) })).toHaveAttribute("data-cause", "reachable");
  expect(await page.content()).not.toContain(SIM_PASSWORD);
});
