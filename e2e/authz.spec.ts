import type { Browser, BrowserContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";
import { createOnboardingWithLink } from "./helpers/workspace";

/**
 * Every route, with every kind of caller. Staff pages must refuse anonymous visitors and workspace links;
 * TechOps pages refuse plain staff; a workspace link for brokerage A never shows brokerage B.
 */
type Caller = "anonymous" | "brokerageA" | "vendorA" | "brokerageB" | "staff" | "techops";
const CALLERS: Caller[] = ["anonymous", "brokerageA", "vendorA", "brokerageB", "staff", "techops"];

test.describe.configure({ mode: "serial" });

let contexts: Record<Caller, BrowserContext>;
let a: { id: string; url: string };
let b: { id: string; url: string };

async function context(browser: Browser) {
  return browser.newContext();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  a = createOnboardingWithLink("Authz Brokerage A");
  b = createOnboardingWithLink("Authz Brokerage B");
  contexts = {} as Record<Caller, BrowserContext>;
  for (const c of CALLERS) contexts[c] = await context(browser);
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
    if (caller === "anonymous") expect(res.status()).toBe(401);
    else if (caller === "vendorA") expect(res.status()).toBe(403);
    else expect([409, 200]).toContain(res.status()); // no saved credential yet (409) — and B's call is about B
    if (caller === "brokerageB") expect((await res.json()).error.code).toBe("no_saved_credential"); // B's own (empty) onboarding, not A's
    // the sync platform's API takes only a service token, never a cookie
    const api = await request.get(`/api/v1/credentials/${a.id}`);
    expect(api.status()).toBe(401);
  });
}
