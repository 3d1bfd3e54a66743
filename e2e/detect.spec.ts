import { randomBytes } from "node:crypto";
import { DETECT_DOMAIN } from "../tools/exchange-sim/discovery";
import { axeViolations, expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";
import { chooseHost, createOnboardingWithLink, openStep } from "./helpers/workspace";

/** Mail-host detection against the simulator's DNS, Entra and Autodiscover v2 (see playwright.config.ts). */
const at = (label: string, local = "ada") => `${local}@${label}.${DETECT_DOMAIN}`;
const suffix = () => randomBytes(3).toString("hex");

test("a Microsoft 365 brokerage finds the hosting question answered, with the evidence, and can choose otherwise", async ({ page }) => {
  const { url } = createOnboardingWithLink(`Cloud Detect ${suffix()}`, at("m365"));
  await page.goto(url);
  const result = page.getByTestId("mail-host-result");
  await expect(result).toContainText(`m365.${DETECT_DOMAIN}: Microsoft 365`);
  await expect(result).toContainText("(sure)");
  await expect(page.getByRole("radio", { name: "Microsoft 365 (Exchange Online)" })).toBeChecked();
  await result.getByText(/What we looked at/).click();
  await expect(result.getByRole("listitem").first()).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // The person knows better: their choice is kept, and the detection says what it would have said.
  await chooseHost(page, "Exchange Server on premises");
  await page.reload();
  await openStep(page, "host");
  await expect(page.getByRole("radio", { name: "Exchange Server on premises" })).toBeChecked();
  await expect(page.getByText(/we would have said Microsoft 365/)).toBeVisible();
});

test("an Exchange Server brokerage finds 'Exchange Server' and the EWS URL filled into the test form", async ({ page }) => {
  const { url } = createOnboardingWithLink(`Server Detect ${suffix()}`, at("exchange"));
  await page.goto(url);
  await expect(page.getByTestId("mail-host-result")).toContainText("Exchange Server");
  await expect(page.getByRole("radio", { name: "Exchange Server on premises" })).toBeChecked();
  await openStep(page, "test");
  const ewsUrl = page.locator("#conn-ewsUrl");
  await expect(ewsUrl).toHaveValue(/^https:\/\/.+\/EWS\/Exchange\.asmx$/i);
  await expect(page.getByText(`Found by Autodiscover for exchange.${DETECT_DOMAIN}.`)).toBeVisible();
  // Typing a URL of one's own wins over detection.
  await ewsUrl.fill("https://mail.example.com/EWS/Exchange.asmx");
  await page.locator("#conn-testMailbox").fill(at("exchange", "agent"));
  await page.locator("#conn-testMailbox").blur();
  await expect(page.getByTestId("test-mailbox-host")).toContainText("Exchange Server");
  await expect(ewsUrl).toHaveValue("https://mail.example.com/EWS/Exchange.asmx");
});

test("a hybrid tenant's on-premises test mailbox is said so, and its EWS URL offered", async ({ page }) => {
  const { url } = createOnboardingWithLink(`Hybrid Detect ${suffix()}`, at("hybrid"));
  await page.goto(url);
  await expect(page.getByTestId("mail-host-result")).toContainText("Microsoft 365");
  await openStep(page, "test");
  await page.locator("#conn-testMailbox").fill(at("hybrid", "onprem-agent"));
  await page.locator("#conn-testMailbox").blur();
  await expect(page.getByTestId("test-mailbox-host")).toContainText("hybrid; this mailbox on premises");
  await expect(page.locator("#conn-ewsUrl")).toHaveValue(/\/EWS\/Exchange\.asmx$/i);
});

test("the public guide's 'not sure' box takes an address or a domain", async ({ page }) => {
  await page.goto("/guide");
  const box = page.getByLabel("Your email address or domain");
  await box.fill(`godaddy.${DETECT_DOMAIN}`);
  await page.getByRole("button", { name: "Find my mail host" }).click();
  const result = page.getByTestId("mail-host-result");
  await expect(result).toContainText("Microsoft 365 through GoDaddy");
  await expect(result.getByRole("link", { name: "Microsoft 365 through a reseller (GoDaddy and similar)" })).toHaveAttribute("href", "/guide/microsoft-365-reseller");
  expect(await axeViolations(page)).toEqual([]);

  await box.fill("not an address@");
  await page.getByRole("button", { name: "Find my mail host" }).click();
  await expect(page.getByText(/does not name a public domain|not an email address/)).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");

  await box.fill(at("google"));
  await page.getByRole("button", { name: "Find my mail host" }).click();
  await expect(result).toContainText("Google Workspace");
});

test("/api/detect refuses bad input clearly and cross-site requests", async ({ request, baseURL }) => {
  const post = (data: unknown, headers: Record<string, string> = { Origin: baseURL! }) =>
    request.post("/api/detect", { data: Buffer.from(typeof data === "string" ? data : JSON.stringify(data)), headers: { "Content-Type": "application/json", ...headers } });
  const cases: [unknown, number, string][] = [
    [{ address: 5 }, 400, "invalid_input"],
    [{}, 400, "invalid_input"],
    [{ address: "" }, 400, "invalid_input"],
    [{ address: "a@b.example", extra: 1 }, 400, "invalid_input"],
    [{ address: "x".repeat(400) }, 400, "invalid_input"],
    ["{not json", 400, "invalid_json"],
    [{ address: "y".repeat(5000) }, 413, "too_large"],
    [{ address: "<script>alert(1)</script>@evil" }, 400, "invalid_address"],
    [{ address: "admin@[::ffff:169.254.169.254]" }, 400, "invalid_address"],
    [{ address: "admin@10.0.0.1" }, 400, "invalid_address"],
  ];
  for (const [data, status, code] of cases) {
    const r = await post(data);
    expect(r.status(), JSON.stringify(data).slice(0, 60)).toBe(status);
    const body = await r.json();
    expect(body.error.code, JSON.stringify(data).slice(0, 60)).toBe(code);
    expect(body.error.message).toMatch(/\w/);
    expect(JSON.stringify(body)).not.toContain("<script>");
  }
  const crossSite = await post({ address: at("m365") }, { Origin: "https://evil.example" });
  expect(crossSite.status()).toBe(403);
  const ok = await post({ address: at("m365") });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).detection).toMatchObject({ host: "microsoft-365", track: "microsoft-365" });
});

test("staff see the detected host and tenant, and filter the dashboard by it", async ({ page, browser }) => {
  const name = `Filter Detect ${suffix()}`;
  const { id, url } = createOnboardingWithLink(name, at("proofpoint"));
  const visitor = await browser.newContext();
  const workspace = await visitor.newPage();
  await workspace.goto(url);
  await expect(workspace.getByTestId("mail-host-result")).toContainText("Microsoft 365");
  await visitor.close();

  await signUpStaff(page);
  await page.goto(`/staff/onboardings/${id}`);
  await expect(page.getByTestId("detected-mail-host")).toContainText("Microsoft 365");
  await expect(page.getByText("Tenant id", { exact: true })).toBeVisible();
  await page.goto("/staff");
  await page.getByLabel("Mail host").selectOption("microsoft-365");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/host=microsoft-365/);
  await expect(page.getByTestId("onboardings-table")).toContainText(name);
  await page.getByLabel("Mail host").selectOption("google-workspace");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("onboardings-table").getByText(name)).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
});
