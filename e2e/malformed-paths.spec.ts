import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { signUpStaff } from "./helpers/staff";

/** Every dynamic route answers 400 or 404 to a malformed %-escape in a path segment, never 500 (issue 17.13). */
const SEGMENTS = ["%ff", "%E0%A4%A", "%", "%zz", "%c0%af"];
const ROUTES = (s: string) => [`/o/${s}`, `/guide/${s}`, `/staff/onboardings/${s}`, `/staff/onboardings/${s}/reveal`, `/api/v1/credentials/${s}`, `/${s}`, `/api/${s}`, `/staff/${s}`, `/staff/setup/${s}`, `/staff/incidents/${s}`, `/staff/incidents/${s}/export`, `/api/own-app/certificate/${s}`];

/** Every dynamic segment under app/, as a URL pattern with route groups dropped (e.g. /staff/onboardings/[id]). */
function dynamicRoutes(dir = "app", url = ""): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
    if (entry.name.startsWith("[")) found.push(url + segment);
    found.push(...dynamicRoutes(path.join(dir, entry.name), url + segment));
  }
  return found;
}

test("the list above covers every dynamic route in app/", () => {
  const covered = ROUTES("[x]");
  for (const route of dynamicRoutes()) {
    const probe = route.replace(/\[[^\]]+\]/g, "[x]");
    expect(covered.some((c) => c === probe || c.startsWith(`${probe}/`)), `${route} is not probed`).toBe(true);
  }
});

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
