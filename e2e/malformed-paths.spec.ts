import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";

/** Every dynamic route answers 400 or 404 to a malformed %-escape in a path segment, never 500 (issue 17.13). */
const SEGMENTS = ["%ff", "%E0%A4%A", "%", "%zz", "%c0%af"];
const ROUTES = (s: string) => [`/o/${s}`, `/guide/${s}`, `/staff/onboardings/${s}`, `/staff/onboardings/${s}/reveal`, `/api/v1/credentials/${s}`, `/${s}`, `/api/${s}`, `/staff/${s}`];

test("malformed escapes in any dynamic route get 400 or 404, anonymous and signed in", async ({ page, request }) => {
  for (const s of SEGMENTS) {
    for (const path of ROUTES(s)) {
      const r = await request.get(path, { maxRedirects: 0 });
      expect([400, 404, 307, 308], `anonymous GET ${path}`).toContain(r.status());
      if (path.startsWith("/api/")) expect([400, 404], `POST ${path}`).toContain((await request.post(path, { data: "{}", maxRedirects: 0 })).status());
    }
  }
  await signUpStaff(page);
  for (const s of SEGMENTS) {
    for (const path of ROUTES(s)) {
      const r = await page.request.get(path, { maxRedirects: 0 });
      expect([400, 404], `staff GET ${path}`).toContain(r.status());
    }
  }
});
