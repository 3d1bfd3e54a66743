import fs from "node:fs";
import { axeViolations, expect, test } from "./fixtures";

/** The log part of a diagnosis fixture (after its `---` header). */
function fixtureLog(name: string) {
  const text = fs.readFileSync(`lib/diagnosis/fixtures/${name}`, "utf8");
  return text.slice(text.indexOf("\n---\n") + 5);
}

test("pasting the seed's BasicAuthBlocked log names the cause and links to the fixing guide step", async ({ page }) => {
  await page.goto("/guide/paste-log");
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Explain this log" }).click();
  await expect(page.getByText("Paste the log first")).toBeVisible();
  await page.getByLabel("Test log").fill(fixtureLog("seed-401-basic-auth-blocked.txt"));
  await page.getByLabel("Where the mailboxes are hosted").selectOption("microsoft-365");
  await page.getByRole("button", { name: "Explain this log" }).click();
  const first = page.getByTestId("finding").first();
  await expect(first).toHaveAttribute("data-cause", "basic_auth_blocked");
  await expect(first).toContainText("2022");
  await expect(first.getByRole("link", { name: "Open the guide step about this" })).toHaveAttribute("href", /\/guide\/microsoft-365-app-access#grant-consent/);
  expect(await axeViolations(page)).toEqual([]);
});

test("the 456 AppPasswordRequired log gives MFA required", async ({ page }) => {
  await page.goto("/guide/paste-log");
  await page.getByLabel("Test log").fill(fixtureLog("seed-456-app-password-required.txt"));
  await page.getByRole("button", { name: "Explain this log" }).click();
  await expect(page.getByTestId("finding").first()).toHaveAttribute("data-cause", "mfa_required");
  await expect(page.getByTestId("finding").first().getByRole("link", { name: "Open the guide step that fixes this" })).toHaveAttribute("href", /#conditional-access/);
});

test("text that is not a log gives an honest 'unclear' answer", async ({ page }) => {
  await page.goto("/guide/paste-log");
  await page.getByLabel("Test log").fill("Dear team, lunch is at noon. <script>alert(1)</script>");
  await page.getByRole("button", { name: "Explain this log" }).click();
  await expect(page.getByTestId("finding").first()).toHaveAttribute("data-cause", "unknown");
});

test("a guess from a generic signal says plainly that we are not sure, with the lines that made us look", async ({ page }) => {
  await page.goto("/guide/paste-log");
  await page.getByLabel("Test log").fill("POST https://mail.contoso.com/EWS/Exchange.asmx\nHTTP/1.1 503 Service Unavailable\nElapsed Time: 40 ms.");
  await page.getByLabel("Where the mailboxes are hosted").selectOption("exchange-server");
  await page.getByRole("button", { name: "Explain this log" }).click();
  const first = page.getByTestId("finding").first();
  await expect(first).toHaveAttribute("data-cause", "server_error");
  await expect(first).toContainText("We are not sure. These are the lines that made us look:");
  await expect(first.getByTestId("evidence")).toBeVisible();
  await expect(first.getByTestId("evidence")).toContainText("HTTP/1.1 503 Service Unavailable");
  expect(await axeViolations(page)).toEqual([]);
});
