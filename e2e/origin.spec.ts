import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";
import { builtActions, callAction, pagePath } from "./helpers/actions";

/** Sign-out is a state change: it gets the same origin check as every other action (issue 17.10). */
test("a sign-out request that is not same-origin leaves the staff session alone; the real button signs out", async ({ page, baseURL }) => {
  await signUpStaff(page);
  await page.goto("/staff");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Sign out" }) });
  const field = await form.locator('input[type="hidden"][name^="$ACTION_ID_"]').getAttribute("name");
  expect(field).toBeTruthy();

  const forged: Record<string, string>[] = [
    {}, // no Origin and no Fetch Metadata: Next's own check lets this through
    { "Sec-Fetch-Site": "cross-site", Origin: baseURL! },
    { Origin: baseURL!.replace("http://", "https://") }, // same host, another scheme
  ];
  for (const headers of forged) {
    await page.request.post("/staff", { multipart: { [field!]: "" }, headers, maxRedirects: 0 });
    await page.goto("/staff");
    await expect(page, JSON.stringify(headers)).toHaveURL(/\/staff$/);
    await expect(page.getByTestId("staff-user")).toBeVisible();
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in\?signed-out=1$/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

/**
 * Every server action the build contains — also one added later — refuses a caller that is not same-origin
 * before anything else: a cross-site form (Fetch Metadata), and, without Fetch Metadata, an Origin of another
 * scheme on the same host (issue 17.10). Sign-out answers no state; the test above covers it with a session.
 */
test("every server action in the build refuses a cross-site call and another scheme's origin", async ({ request, baseURL }) => {
  const actions = builtActions().filter((a) => a.name !== "signOutAction");
  expect(actions.length).toBeGreaterThan(20);
  const forged: Record<string, string>[] = [
    // Our host in Origin, so Next's own host comparison passes and only our check stands in the way.
    { "Sec-Fetch-Site": "cross-site", Origin: baseURL! },
    { "Sec-Fetch-Site": "same-site", Origin: baseURL! },
    { Origin: baseURL!.replace("http://", "https://") },
    {}, // neither Origin nor Fetch Metadata
  ];
  for (const action of actions) {
    expect(action.pages.length, action.name).toBeGreaterThan(0);
    for (const headers of forged) {
      const code = await callAction(request, pagePath(action.pages[0]!), { id: action.id }, {}, headers);
      expect(code, `${action.name} (${action.filename}) with ${JSON.stringify(headers)}`).toBe("cross_site");
    }
  }
});
