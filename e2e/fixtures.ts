import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

/** Every e2e test fails if the page broke the Content-Security-Policy or logged an error. */
export const test = base.extend<{ consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        // Failed loads are judged below by URL and kind; link prefetches of not-yet-visited pages may 404.
        if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) problems.push(msg.text());
      });
      page.on("response", (res) => {
        if (res.status() >= 400 && res.request().resourceType() !== "fetch" && !res.request().isNavigationRequest()) {
          problems.push(`${res.status()} ${res.url()}`);
        }
      });
      page.on("pageerror", (err) => problems.push(err.message));
      await use(problems);
      expect(problems, "browser console errors (CSP violations, exceptions)").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** axe with the WCAG 2.2 AA rule set; returns the violations so a failure shows what and where. */
export async function axeViolations(page: Page) {
  // After a client-side navigation Next streams the new page's <title> in after its content, so a heading
  // can be visible while the title is still empty; axe must judge the page as it settles, not mid-update.
  await page.waitForFunction(() => document.title.trim().length > 0, undefined, { timeout: 5_000 }).catch(() => {});
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}
