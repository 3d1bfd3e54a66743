import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";

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
