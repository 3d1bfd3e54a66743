import { defineConfig, devices } from "@playwright/test";
import { DISCOVERY_REACHABLE_HOSTS } from "./tools/exchange-sim/discovery";
import { SIM_CLIENT_ID } from "./tools/exchange-sim/m365-scenarios";

/**
 * e2e runs against the production build with its own data directory, on Debian's Chromium.
 * PORT and NEXT_DIST_DIR let a second build run beside a developer's own.
 */
const port = Number(process.env.E2E_PORT ?? process.env.PORT ?? 3100);
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const dataDir = `test-results/e2e-data-${port}`;
export const baseURL = `http://127.0.0.1:${port}`;
/** The Exchange simulator the app tests against during e2e (ports derived from the app's). */
export const sim = {
  httpPort: port + 1000,
  httpsPort: port + 1443,
  caFile: `test-results/sim-ca-${port}.pem`,
  /** The certificate credential of the simulator's Entra app, generated at its start: the e2e server's MICROSOFT_CERT_FILE/KEY_FILE. */
  appCertFile: `test-results/sim-app-${port}.crt`,
  appKeyFile: `test-results/sim-app-${port}.key`,
  /** The simulator's DNS server for the mail-host detection domains (*.detect.sim.test). */
  dnsPort: port + 1053,
  get ewsUrl() { return `https://127.0.0.1:${this.httpsPort}/EWS/Exchange.asmx`; },
  get adminUrl() { return `http://127.0.0.1:${this.httpPort}/__sim`; },
  get m365AdminUrl() { return `http://127.0.0.1:${this.httpPort}/__sim/m365`; },
};
/** The bearer token the e2e server's GET /api/metrics wants (METRICS_TOKEN). */
export const metricsToken = "e2e-metrics-token-not-a-secret-0123456789";
/** A real SMTP server the app delivers to; its HTTP side lists the messages received. */
export const mailSink = { smtpPort: port + 2025, httpPort: port + 2080, get url() { return `http://127.0.0.1:${this.httpPort}/`; } };

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: `mkdir -p test-results && npx tsx tools/exchange-sim/cli.ts --host 127.0.0.1 --port ${sim.httpPort} --https-port ${sim.httpsPort} --dns-port ${sim.dnsPort} --ca-out ${sim.caFile} --app-cert-out ${sim.appCertFile} --app-key-out ${sim.appKeyFile}`,
      url: `${sim.adminUrl}/scenarios`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `npx tsx e2e/helpers/smtp-sink.ts ${mailSink.smtpPort} ${mailSink.httpPort}`,
      url: mailSink.url,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
    // The server's own output is kept (tee) so the leak test can search everything it logged.
    command: `rm -rf ${dataDir} && mkdir -p test-results && node node_modules/next/dist/bin/next build && node scripts/serve.mjs 2>&1 | tee test-results/e2e-server-${port}.log`,
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATA_DIR: dataDir,
      NEXT_DIST_DIR: distDir,
      LOG_LEVEL: "info",
      PORT: String(port),
      APP_URL: baseURL,
      EXCHANGE_ALLOWED_HOSTS: [`127.0.0.1:${sim.httpPort}`, `127.0.0.1:${sim.httpsPort}`, ...DISCOVERY_REACHABLE_HOSTS].join(","),
      // Mail-host detection asks the simulator: its DNS for *.detect.sim.test, its Entra and Autodiscover v2.
      DNS_SERVERS: `127.0.0.1:${sim.dnsPort}`,
      MICROSOFT_AUTHORITY_HOST: `https://127.0.0.1:${sim.httpsPort}/entra`,
      MICROSOFT_AUTODISCOVER_HOST: `https://127.0.0.1:${sim.httpsPort}`,
      // MoxiWorks's Entra app is the simulator's built-in one (tools/exchange-sim/m365-scenarios.ts) with the
      // certificate credential the simulator generated at its start (the preferred credential); Graph is its /graph.
      MICROSOFT_CLIENT_ID: SIM_CLIENT_ID,
      MICROSOFT_CERT_FILE: sim.appCertFile,
      MICROSOFT_KEY_FILE: sim.appKeyFile,
      MICROSOFT_GRAPH_URL: `https://127.0.0.1:${sim.httpsPort}/graph`,
      EXCHANGE_EXTRA_CA_FILE: sim.caFile,
      SMTP_URL: `smtp://127.0.0.1:${mailSink.smtpPort}`,
      SCHEDULER_INTERVAL_MS: "1000",
      // The roster e2e's hung mailboxes give up after 3 s instead of 15.
      ROSTER_MAILBOX_DEADLINE_MS: "3000",
      // Loopback stands in for the deployment's proxy, so e2e/rate-limits.spec.ts can play clients behind it.
      TRUSTED_PROXIES: "127.0.0.1",
      METRICS_TOKEN: metricsToken,
    },
    },
  ],
});
