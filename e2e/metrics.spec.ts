import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { expect, test } from "@playwright/test";
import { metricsToken } from "../playwright.config";

/**
 * GET /api/metrics on the production build. The scheduler runs in the instrumentation bundle and the route in
 * its own: job runs counted by the one must show in the other's scrape (one registry per process, on globalThis).
 */
async function jobRuns(request: import("@playwright/test").APIRequestContext): Promise<number> {
  const response = await request.get("/api/metrics", { headers: { Authorization: `Bearer ${metricsToken}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await response.text());
  for (const name of ["moxi_connection_tests_total", "moxi_onboardings", "moxi_outbox_depth", "moxi_job_lag_seconds", "moxi_roster_checks_in_flight", "moxi_rate_limit_refusals_total", "moxi_verification_duration_seconds"]) {
    expect(families.map((f) => f.name)).toContain(name);
  }
  const runs = families.find((f) => f.name === "moxi_job_runs_total")?.metrics.find((m) => m.labels?.job === "outbox" && m.labels?.outcome === "ok");
  return Number(runs?.value ?? 0);
}

test("without the token, or with a wrong one, the endpoint answers 401 and shows no metric", async ({ request }) => {
  const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer wrong-token-wrong-token-wrong-token-00" }, { Authorization: `Basic ${Buffer.from(`x:${metricsToken}`).toString("base64")}` }];
  for (const headers of attempts) {
    const response = await request.get("/api/metrics", { headers });
    expect(response.status()).toBe(401);
    expect(response.headers()["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(await response.text()).not.toContain("moxi_");
  }
});

test("with the token: the scheduler's job runs (instrumentation bundle) show in the route's scrape and keep counting", async ({ request }) => {
  const first = await jobRuns(request);
  // SCHEDULER_INTERVAL_MS is 1000 in e2e: the outbox job runs every tick.
  await expect.poll(() => jobRuns(request), { timeout: 10_000 }).toBeGreaterThan(first);
});
