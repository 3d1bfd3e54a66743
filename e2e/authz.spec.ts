import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";
import { createOnboardingWithLink, e2eDataDir } from "./helpers/workspace";
import { callAction } from "./helpers/actions";

/**
 * Every route, with every kind of caller. Staff pages must refuse anonymous visitors and workspace links;
 * TechOps pages refuse plain staff; a workspace link for brokerage A never shows brokerage B.
 */
type Caller = "anonymous" | "brokerageA" | "vendorA" | "brokerageB" | "staff" | "techops" | "service";
const CALLERS: Caller[] = ["anonymous", "brokerageA", "vendorA", "brokerageB", "staff", "techops", "service"];

test.describe.configure({ mode: "serial" });

let contexts: Record<Caller, BrowserContext>;
let a: { id: string; url: string };
let b: { id: string; url: string };

async function context(browser: Browser, caller: Caller) {
  // The sync platform's caller: a valid service token on every request, and no cookie of any kind.
  if (caller === "service") return browser.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${serviceToken()}` } });
  return browser.newContext();
}

function serviceToken(): string {
  const out = execFileSync("npm", ["run", "-s", "service-token:create", "--", "--name", `authz ${Date.now()}`], {
    env: { ...process.env, DATA_DIR: e2eDataDir(), LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const token = out.match(/mxs_[A-Za-z0-9_-]{43}/)?.[0];
  if (!token) throw new Error("service-token:create printed no token");
  return token;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  a = createOnboardingWithLink("Authz Brokerage A");
  b = createOnboardingWithLink("Authz Brokerage B");
  contexts = {} as Record<Caller, BrowserContext>;
  for (const c of CALLERS) contexts[c] = await context(browser, c);
  await (await contexts.brokerageA.newPage()).goto(a.url);
  await (await contexts.brokerageB.newPage()).goto(b.url);
  // the vendor link is made by brokerage A in its workspace
  const pageA = await contexts.brokerageA.newPage();
  await pageA.goto("/o");
  await pageA.getByLabel("Who is the link for?").fill("Authz vendor");
  await pageA.getByRole("button", { name: "Create vendor link" }).click();
  const vendorUrl = (await pageA.getByTestId("vendor-link").textContent())!;
  await (await contexts.vendorA.newPage()).goto(vendorUrl);
  await signUpStaff(await contexts.staff.newPage(), "staff");
  await signUpStaff(await contexts.techops.newPage(), "techops");
});

test.afterAll(async () => {
  for (const c of Object.values(contexts ?? {})) await c.close();
});

const STAFF_PAGES = () => ["/staff", "/staff/audit", "/staff/onboardings/new", `/staff/onboardings/${a.id}`];

for (const caller of CALLERS) {
  test(`staff pages as ${caller}`, async () => {
    const page = await contexts[caller].newPage();
    for (const path of STAFF_PAGES()) {
      await page.goto(path);
      if (caller === "staff" || caller === "techops") {
        await expect(page, path).toHaveURL(new RegExp(`${path.replace(/[/]/g, "\\/")}$`));
        await expect(page.getByTestId("staff-user")).toBeVisible();
      } else {
        await expect(page, path).toHaveURL(/\/staff\/sign-in$/);
        await expect(page.getByText("Authz Brokerage A")).toHaveCount(0);
      }
    }
    await page.close();
  });

  test(`workspace as ${caller}`, async () => {
    const page = await contexts[caller].newPage();
    await page.goto("/o");
    const heading = page.getByRole("heading", { level: 1 });
    if (caller === "brokerageA" || caller === "vendorA") await expect(heading).toHaveText("Authz Brokerage A");
    else if (caller === "brokerageB") await expect(heading).toHaveText("Authz Brokerage B");
    else await expect(heading).toHaveText("Open your workspace from its link");
    if (caller !== "brokerageA" && caller !== "vendorA") await expect(page.getByText("Authz Brokerage A")).toHaveCount(0);
    await page.close();
  });

  test(`APIs as ${caller}`, async () => {
    const request = contexts[caller].request;
    // saved-details test for another brokerage's onboarding: never reaches A
    const res = await request.post("/api/test-runs", { headers: { "Sec-Fetch-Site": "same-origin" }, data: { useSaved: true, onboardingId: a.id } });
    if (caller === "anonymous" || caller === "service") expect(res.status()).toBe(401);
    else if (caller === "vendorA") expect(res.status()).toBe(403);
    else expect([409, 200]).toContain(res.status()); // no saved credential yet (409) — and B's call is about B
    if (caller === "brokerageB") expect((await res.json()).error.code).toBe("no_saved_credential"); // B's own (empty) onboarding, not A's
    // the sync platform's API takes only a service token, never a cookie (A is not verified: 409 for the token)
    const api = await request.get(`/api/v1/credentials/${a.id}`);
    expect(api.status()).toBe(caller === "service" ? 409 : 401);
  });

  test(`support access actions as ${caller}`, async () => {
    const request = contexts[caller].request;
    const someRequest = "0".repeat(26);
    // Staff asking brokerage A: only plain staff get as far as the use case (A has no saved credential yet).
    const asked = await callAction(request, `/staff/onboardings/${a.id}`, { name: "requestAccessAction" }, { onboardingId: a.id, reason: "Ticket AUTHZ-1: matrix check", durationHours: "1" });
    expect(asked, "requestAccessAction").toBe(caller === "staff" ? "no_credential" : caller === "techops" ? "access_techops" : "not_signed_in");
    const revealed = await callAction(request, `/staff/onboardings/${a.id}`, { name: "revealWithApprovalAction" }, {
      onboardingId: a.id,
      requestId: someRequest,
      password: "not-the-password",
      code: "000000",
      reason: "Ticket AUTHZ-2: matrix check",
    });
    expect(revealed, "revealWithApprovalAction").toBe(caller === "staff" ? "reauth_failed" : caller === "techops" ? "access_techops" : "not_signed_in");
    // Brokerage answers: only a brokerage link session, and only for its own requests (an unknown id for A and B alike).
    for (const [name, fields] of [
      ["answerAccessAction", { requestId: someRequest, decision: "approve", mode: "single-use" }],
      ["revokeAccessAction", { requestId: someRequest }],
    ] as const) {
      const answered = await callAction(request, "/o", { name }, fields);
      expect(answered, name).toBe(caller === "brokerageA" || caller === "brokerageB" ? "access_unknown" : "not_signed_in");
    }
  });

  test(`access panel as ${caller}`, async () => {
    const page = await contexts[caller].newPage();
    await page.goto("/o");
    // The brokerage's own business: its link sees the panel; a vendor link and everyone else do not.
    await expect(page.getByRole("region", { name: "Access to your credentials" })).toHaveCount(caller === "brokerageA" || caller === "brokerageB" ? 1 : 0);
    await page.goto(`/staff/onboardings/${a.id}`);
    await expect(page.getByRole("region", { name: "Support access to the credential" })).toHaveCount(0); // no saved credential
    await page.close();
  });
}
