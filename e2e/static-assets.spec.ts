import { expect, test } from "./fixtures";

// The static files a real site serves (public/), each with its content type and under the same CSP as the pages.
test("robots.txt keeps workspaces and the staff dashboard out of search engines", async ({ request }) => {
  const res = await request.get("/robots.txt");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^text\/plain/);
  expect(res.headers()["content-security-policy"]).toContain("default-src");
  const text = await res.text();
  expect(text).toMatch(/^User-agent: \*$/m);
  expect(text).toMatch(/^Disallow: \/o\/$/m);
  expect(text).toMatch(/^Disallow: \/staff\/$/m);
});

for (const [path, type, magic] of [
  ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/, [0, 0, 1, 0]],
  ["/apple-touch-icon.png", /^image\/png/, [0x89, 0x50, 0x4e, 0x47]],
] as const) {
  test(`${path} answers with a real image`, async ({ request }) => {
    const res = await request.get(path);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(type);
    expect(res.headers()["content-security-policy"]).toContain("default-src");
    expect([...(await res.body()).subarray(0, 4)]).toEqual([...magic]);
  });
}

test("the pages link the app icon", async ({ page }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  expect((await page.request.get(href!)).headers()["content-type"]).toMatch(/^image\/svg\+xml/);
});
