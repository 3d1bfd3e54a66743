import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { axeViolations, expect, test } from "./fixtures";
import { baseURL, sim } from "../playwright.config";
import { createOnboardingWithLink, e2eDataDir } from "./helpers/workspace";
import { databaseBytes, hits, recordResponses, SERVER_LOG } from "./helpers/leak";
import { privateKeyForms } from "../lib/graph/key-forms";

// Issue 13 "Done when": a brokerage that uses its own single-tenant app registration downloads the certificate its
// workspace made, "uploads" it to its app (here: the simulator's admin API, as the admin would in the Entra admin
// center), enters tenant and client id, tests live, submits → verified. The simulator's Entra checks the client
// assertion's signature against the uploaded certificate (tools/exchange-sim/entra.ts).

test.use({ ignoreHTTPSErrors: true });

const appCard = (page: Page) => page.getByRole("region", { name: "Microsoft 365 app access (recommended)" });
let n = 0;

/** A simulated tenant with the brokerage's own app registered in it, not yet holding any certificate. */
async function ownTenant(label: string) {
  n++;
  const domain = `${label}-${Date.now()}.sim.test`;
  const clientId = `${(Date.now() % 0xffffffff).toString(16).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const post = (what: string, body: unknown) => fetch(`${sim.m365AdminUrl}/${what}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect((await post("apps", { clientId, displayName: "MoxiEngage (own registration)" })).status).toBe(201);
  expect((await post("tenants", { domain, consentedApps: [clientId] })).status).toBe(201);
  return { domain, clientId, agent: `agent@${domain}`, admin: `admin@${domain}`, upload: async (certificatePem: string) => expect((await post("apps", { clientId, certificatePem })).status).toBe(201) };
}

async function chooseOwnAppAndGenerate(page: Page) {
  await appCard(page).getByRole("button", { name: "Use our own app registration" }).click();
  await expect(page.getByTestId("own-app")).toBeVisible();
  await appCard(page).getByRole("button", { name: "Generate the certificate" }).click();
  await expect(page.getByTestId("own-app-certificate")).toHaveCount(1, { timeout: 20_000 });
}

async function downloadCertificate(page: Page): Promise<string> {
  const downloading = page.waitForEvent("download");
  await appCard(page).getByRole("link", { name: "Download the certificate (.cer)" }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^moxiengage-[0-9a-f]{8}\.cer$/);
  return fs.readFileSync((await download.path())!, "utf8");
}

async function fill(page: Page, v: { tenant: string; clientId: string; agent: string; admin: string }) {
  const card = appCard(page);
  await card.getByLabel("Tenant", { exact: true }).fill(v.tenant);
  await card.getByLabel("Application (client) ID", { exact: true }).fill(v.clientId);
  await card.getByLabel("Group name", { exact: true }).fill("MoxiEngage Agents");
  await card.getByLabel("Test mailbox", { exact: true }).fill(v.agent);
  await card.getByLabel("Out-of-reach mailbox", { exact: true }).fill(v.admin);
}

/** The private keys still sealed for an onboarding, opened with the e2e server's key ring (e2e/helpers/own-app-keys.ts). */
function sealedKeys(onboardingId: string): string[] {
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "e2e/helpers/own-app-keys.ts", onboardingId], { env: { ...process.env, DATA_DIR: e2eDataDir(), APP_URL: baseURL, LOG_LEVEL: "warn" }, encoding: "utf8" });
  return (JSON.parse(out.trim().split("\n").pop()!) as { keys: string[] }).keys;
}

test("own app: choose it → download the certificate → upload it to the app → tenant + client id → live test → submit → verified", async ({ page }) => {
  test.slow();
  const responses = recordResponses(page);
  const urls: string[] = [];
  page.on("framenavigated", (f) => urls.push(f.url()));
  const t = await ownTenant("own-happy");
  const { id, url } = createOnboardingWithLink("Own App Realty", `own-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await chooseOwnAppAndGenerate(page);
  const cert = page.getByTestId("own-app-certificate");
  await expect(cert).toHaveAttribute("data-status", "pending");
  const in12Months = new Date();
  in12Months.setUTCFullYear(in12Months.getUTCFullYear() + 1);
  await expect(cert.getByTestId("certificate-expires")).toContainText(in12Months.toISOString().slice(0, 7));
  await expect(cert.getByTestId("certificate-thumbprint")).toHaveText(/^[0-9A-F]{64}$/);

  const pem = await downloadCertificate(page);
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  expect(pem).not.toContain("PRIVATE");
  await t.upload(pem);

  // The guide in the workspace is the own-app track, its RBAC commands filled with the brokerage's app id once saved.
  await fill(page, { tenant: t.domain, clientId: t.clientId, agent: t.agent, admin: t.admin });
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  const result = appCard(page).getByTestId("live-test");
  await expect(result).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  await expect(result.locator('[data-stage="token"]')).toHaveAttribute("data-status", "passed");
  await expect(result.locator('[data-stage="out-of-scope"]')).toHaveAttribute("data-status", "passed");
  // The passed test made the certificate the one in use.
  await expect(page.getByTestId("own-app-certificate")).toHaveAttribute("data-status", "active");

  await appCard(page).getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });
  expect(await page.content()).not.toContain("PRIVATE KEY");

  await page.goto("/o?step=prepare");
  await expect(page.getByRole("heading", { name: "Setup guide: Microsoft 365 — app access with your own app registration" })).toBeVisible();
  await expect(page.locator("#scope-app-access-2 pre[data-command]")).toContainText(t.clientId);

  // Renewal without downtime: a new certificate next to the one in use; the old one works until the new one passes.
  await page.goto("/o?step=test");
  await appCard(page).getByRole("button", { name: "Generate a new certificate" }).click();
  await expect(page.getByTestId("own-app-certificate")).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByTestId("own-app-certificate").first()).toHaveAttribute("data-status", "pending");
  await expect(page.getByTestId("own-app-certificate").nth(1)).toHaveAttribute("data-status", "active");
  const renewed = await downloadCertificate(page);
  expect(renewed).not.toBe(pem);
  await t.upload(renewed);
  await fill(page, { tenant: t.domain, clientId: t.clientId, agent: t.agent, admin: t.admin });
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  await expect(appCard(page).getByTestId("live-test")).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  await expect(page.getByTestId("own-app-certificate")).toHaveCount(1);
  await expect(page.getByTestId("own-app-certificate")).toHaveAttribute("data-status", "active");
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified");

  // The private key (PEM, its body, its lines, and its DER in base64) leaks nowhere: not in the database file, the
  // server's log, any response, the DOM, storage, cookies or URLs.
  const keys = sealedKeys(id);
  expect(keys).toHaveLength(1);
  const secrets = keys.flatMap((k) => [...privateKeyForms(k), createPrivateKey(k).export({ type: "pkcs8", format: "der" }).toString("base64")]);
  const dom = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await page.context().cookies());
  const db = databaseBytes();
  expect(hits(db, t.agent), "the search works: the test mailbox is in the database").toBeGreaterThan(0);
  const count = (hay: Buffer | string) => secrets.reduce((n, s) => n + hits(hay, s), 0);
  expect({
    database: count(db),
    serverLog: count(fs.readFileSync(SERVER_LOG)),
    responses: responses.reduce((n, b) => n + count(b), 0),
    download: count(pem),
    dom: count(dom),
    storage: count(storage),
    cookies: count(cookies),
    urls: count(urls.join("\n")),
  }).toEqual({ database: 0, serverLog: 0, responses: 0, download: 0, dom: 0, storage: 0, cookies: 0, urls: 0 });
});

test("own app: a wrong client id → app_not_found; a certificate not uploaded → certificate_invalid", async ({ page }) => {
  test.slow();
  const t = await ownTenant("own-wrong");
  const { url } = createOnboardingWithLink("Wrong Client Realty", `own-wrong-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await chooseOwnAppAndGenerate(page);
  await t.upload(await downloadCertificate(page));
  await fill(page, { tenant: t.domain, clientId: "11111111-2222-4333-8444-555555555555", agent: t.agent, admin: t.admin });
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  const result = appCard(page).getByTestId("live-test");
  await expect(result).toHaveAttribute("data-outcome", "failed", { timeout: 30_000 });
  await expect(result.getByTestId("finding").first()).toHaveAttribute("data-cause", "app_not_found");
  await expect(result.locator('[data-stage="token"]')).toContainText("AADSTS700016");
  // The brokerage's admin fixes it, with the own-app guide's step (not "contact MoxiWorks"), opened inside the workspace.
  await expect(result.getByTestId("finding").first().locator('a[href="/o?step=prepare#register-own-app-2"]')).toBeVisible();

  const other = await ownTenant("own-nocert"); // an app that never got this certificate
  await fill(page, { tenant: other.domain, clientId: other.clientId, agent: other.agent, admin: other.admin });
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  await expect(result.getByTestId("finding").first()).toHaveAttribute("data-cause", "certificate_invalid", { timeout: 30_000 });
  await expect(result.locator('[data-stage="token"]')).toContainText("AADSTS700027");
  await expect(page.getByTestId("own-app-certificate")).toHaveAttribute("data-status", "pending");
});

test("own app: the form refuses bad input with specific messages, and another workspace's certificate is not downloadable", async ({ page, request }) => {
  const { url } = createOnboardingWithLink("Bad Own Input Realty", `own-bad-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await chooseOwnAppAndGenerate(page);
  const card = appCard(page);
  await fill(page, { tenant: "evil.example/../../x", clientId: "not-a-guid'; DROP TABLE app_access;--", agent: "a@b.example", admin: "c@b.example" });
  await card.getByRole("button", { name: "Run the app-access test" }).click();
  await expect(card.getByText("The Application (client) ID must be a GUID.")).toBeVisible();
  await expect(card.getByText(/The tenant must be a tenant ID or a domain name only/)).toBeVisible();
  await expect(appCard(page).getByTestId("live-test").getByTestId("test-step")).toHaveCount(0);
  const guid = "6731de76-14a6-49ae-97bc-6eba6914391e";
  await fill(page, { tenant: guid, clientId: guid, agent: "a@b.example", admin: "c@b.example" });
  await card.getByRole("button", { name: "Run the app-access test" }).click();
  await expect(card.getByText(/This is the Directory \(tenant\) ID/)).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // Without this workspace's session (a fresh request context), and for ids that are not this workspace's.
  const href = await card.getByRole("link", { name: "Download the certificate (.cer)" }).getAttribute("href");
  expect((await request.get(href!)).status()).toBe(401);
  for (const bad of ["/api/own-app/certificate/nope", `/api/own-app/certificate/${"x".repeat(500)}`, "/api/own-app/certificate/..%2F..%2Fkeys.json"]) {
    const res = await page.request.get(bad);
    expect(res.status(), bad).toBe(404);
    expect(await res.text()).not.toContain("PRIVATE");
  }
});

test("own app with a client secret (policy forces one): bad input refused → expired secret → client_secret_expired with renewal steps → new secret → passed → verified; the secret leaks nowhere", async ({ page }) => {
  test.slow();
  const responses = recordResponses(page);
  const urls: string[] = [];
  page.on("framenavigated", (f) => urls.push(f.url()));
  n++;
  const domain = `own-secret-${Date.now()}.sim.test`;
  const clientId = `${(Date.now() % 0xffffffff).toString(16).padStart(8, "0")}-5ec0-4000-8000-${String(n).padStart(12, "0")}`;
  const stamp = Date.now().toString(36);
  const expiredSecret = `Exp8Q~${stamp}.0ldVa1ue-0123456789abcdef`;
  const goodSecret = `Nw5Q~${stamp}.FreshVa1ue-0123456789abcdef`;
  const post = (what: string, body: unknown) => fetch(`${sim.m365AdminUrl}/${what}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  // The app holds a secret that expired three days ago (Entra answers AADSTS7000222 for it).
  expect((await post("apps", { clientId, displayName: "Own app (secret)", secret: expiredSecret, secretExpiresAt: new Date(Date.now() - 3 * 86400_000).toISOString() })).status).toBe(201);
  expect((await post("tenants", { domain, consentedApps: [clientId] })).status).toBe(201);
  const t = { tenant: domain, clientId, agent: `agent@${domain}`, admin: `admin@${domain}` };

  const { id, url } = createOnboardingWithLink("Own Secret Realty", `own-secret-${Date.now()}@acme.test`, "microsoft-365");
  await page.goto(url);
  await appCard(page).getByRole("button", { name: "Use our own app registration" }).click();
  await expect(page.getByTestId("own-app")).toBeVisible();
  const offer = page.getByTestId("own-app-secret-offer");
  await offer.getByText("Your policy requires a client secret instead?").click();
  await expect(offer).toContainText("A certificate is better");
  const secretForm = page.getByRole("form", { name: "Client secret" });
  const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);

  // Bad input: each refused with its own message, nothing stored.
  await secretForm.getByRole("button", { name: "Save the client secret" }).click();
  await expect(secretForm.getByText("Enter the client secret's Value")).toBeVisible();
  await secretForm.getByLabel("Client secret Value").fill("abc");
  await secretForm.getByLabel("Expires").fill(inDays(-2));
  await secretForm.getByRole("button", { name: "Save the client secret" }).click();
  await expect(secretForm.getByText("This date is past")).toBeVisible();
  await secretForm.getByLabel("Client secret Value").fill("abc");
  await secretForm.getByLabel("Expires").fill(inDays(800));
  await secretForm.getByRole("button", { name: "Save the client secret" }).click();
  await expect(secretForm.getByText("A client secret lasts at most 24 months")).toBeVisible();
  await expect(page.getByTestId("own-app-secret")).toHaveCount(0);

  // The admin enters the (already expired) secret with the date they believe: the page shows only its hint.
  const believed = inDays(90);
  await secretForm.getByLabel("Client secret Value").fill(expiredSecret);
  await secretForm.getByLabel("Expires").fill(believed);
  await secretForm.getByRole("button", { name: "Save the client secret" }).click();
  await expect(page.getByTestId("secret-hint")).toHaveText("Exp…", { timeout: 20_000 });
  await expect(page.getByTestId("secret-expires")).toContainText(believed);
  await expect(page.getByLabel("Client secret Value")).toHaveValue("");

  await fill(page, t);
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  const result = appCard(page).getByTestId("live-test");
  await expect(result).toHaveAttribute("data-outcome", "failed", { timeout: 30_000 });
  await expect(result.getByTestId("finding").first()).toHaveAttribute("data-cause", "client_secret_expired");
  await expect(result.locator('[data-stage="token"]')).toContainText("AADSTS7000222");
  await expect(result.getByTestId("finding").first()).toContainText("add a new client secret");

  // Renewal: a new secret in the app registration, saved here in place of the old one.
  expect((await post("apps", { clientId, secret: goodSecret, secretExpiresAt: new Date(Date.now() + 200 * 86400_000).toISOString() })).status).toBe(201);
  await page.getByLabel("Client secret Value").fill(goodSecret);
  await page.getByRole("form", { name: "Client secret" }).getByLabel("Expires").fill(inDays(200));
  await page.getByRole("button", { name: "Replace the client secret" }).click();
  await expect(page.getByTestId("secret-hint")).toHaveText("Nw5…", { timeout: 20_000 });
  await fill(page, t);
  await appCard(page).getByRole("button", { name: "Run the app-access test" }).click();
  await expect(appCard(page).getByTestId("live-test")).toHaveAttribute("data-outcome", "passed", { timeout: 30_000 });
  await appCard(page).getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByTestId("onboarding-state")).toHaveText("Verified", { timeout: 30_000 });

  // Neither secret (nor its tail past the hint) is in the database file, the server log, any response, the DOM,
  // storage, cookies or URLs.
  const secrets = [expiredSecret, goodSecret, expiredSecret.slice(3), goodSecret.slice(3)];
  const dom = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await page.context().cookies());
  const db = databaseBytes();
  expect(hits(db, t.agent), "the search works: the test mailbox is in the database").toBeGreaterThan(0);
  const count = (hay: Buffer | string) => secrets.reduce((k, s) => k + hits(hay, s), 0);
  expect({
    database: count(db),
    serverLog: count(fs.readFileSync(SERVER_LOG)),
    responses: responses.reduce((k, b) => k + count(b), 0),
    dom: count(dom),
    storage: count(storage),
    cookies: count(cookies),
    urls: count(urls.join("\n")),
  }).toEqual({ database: 0, serverLog: 0, responses: 0, dom: 0, storage: 0, cookies: 0, urls: 0 });
  expect(id).toBeTruthy();
});
