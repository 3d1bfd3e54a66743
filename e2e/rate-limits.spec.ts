import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";

/**
 * Issue 17.1, through scripts/serve.mjs as deployed. The e2e server trusts loopback as its proxy
 * (TRUSTED_PROXIES=127.0.0.1), so a request's client is the address that "proxy" appended last to
 * X-Forwarded-For; whatever a client writes to the left of it, and any x-moxi-client-address it sends, must not
 * make it a new client.
 */
const FAILED = "That email and password do not match an active account.";
const LIMITED = "Too many attempts. Please wait a few minutes and try again.";

async function attempt(page: Page, client: string, spoof: string, email: string, password: string): Promise<"failed" | "limited" | "signed-in"> {
  // What a hostile client can send through a proxy that appends the real address.
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": `${spoof}, ${client}`, "X-Moxi-Client-Address": spoof });
  // A fresh form each time: no earlier answer on the page to mistake for this one.
  await page.goto("/staff/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Sign in" }).click();
  await answered;
  const outcome = page.getByText(FAILED).or(page.getByText(LIMITED)).or(page.getByRole("heading", { name: /two-step verification/i }));
  await expect(outcome.first()).toBeVisible();
  if (/\/staff\/(two-factor|enroll)$/.test(page.url())) return "signed-in";
  return (await page.getByText(LIMITED).isVisible()) ? "limited" : "failed";
}

test.describe.configure({ mode: "serial" });

test("40 wrong sign-ins from one client with a new X-Forwarded-For each are refused after 30", async ({ page }) => {
  test.setTimeout(240_000);
  const outcomes: string[] = [];
  for (let i = 0; i < 40; i++) outcomes.push(await attempt(page, "203.0.113.9", `10.0.${i}.1`, `nobody-${i}@moxiworks.test`, "wrong password!"));
  expect(outcomes.slice(0, 30)).toEqual(Array(30).fill("failed"));
  expect(outcomes.slice(30)).toEqual(Array(10).fill("limited"));
});

test("one client's wrong passwords do not lock the owner out of their account", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const owner = await signUpStaff(page);
  const attacker = await browser.newPage();
  const outcomes: string[] = [];
  for (let i = 0; i < 10; i++) outcomes.push(await attempt(attacker, "203.0.113.66", `192.0.2.${i}`, owner.email, "wrong password!"));
  expect(outcomes).toEqual([...Array(5).fill("failed"), ...Array(5).fill("limited")]);
  // the right password from the attacker's address is refused too: that address has used its guesses
  expect(await attempt(attacker, "203.0.113.66", "192.0.2.99", owner.email, owner.password)).toBe("limited");
  await attacker.close();

  const own = await browser.newPage();
  expect(await attempt(own, "198.51.100.20", "198.51.100.20", owner.email, owner.password)).toBe("signed-in");
  await own.close();
});

test("62 link opens from one client with a new X-Forwarded-For each: the last two are refused (was 62 of 62)", async ({ request }) => {
  const reasons: string[] = [];
  for (let i = 0; i < 62; i++) {
    const res = await request.get(`/o/not-a-real-link-${i}`, {
      headers: { "X-Forwarded-For": `10.1.${i}.1, 203.0.113.77`, "X-Moxi-Client-Address": `10.1.${i}.1` },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(303);
    reasons.push(new URL(res.headers()["location"]!, "http://x").searchParams.get("reason") ?? "");
  }
  expect(reasons.slice(0, 60).filter((r) => r === "busy")).toEqual([]);
  expect(reasons.slice(60)).toEqual(["busy", "busy"]);
});
