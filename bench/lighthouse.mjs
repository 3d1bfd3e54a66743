// Lighthouse scores for the public guide pages, against a running production server.
//
//   npm run build && PORT=3000 npm start          # in another shell (never `next dev`)
//   node bench/lighthouse.mjs http://127.0.0.1:3000 [--runs 3] [--desktop] [--path /guide]…
//
// Needs the devDependency lighthouse@12.8.2 (13.x needs Node >= 22.19) and Debian's Chromium at
// /usr/bin/chromium (or CHROME_PATH). Prints the median performance and accessibility score of
// `runs` runs per page (Lighthouse scores vary run to run), with LCP, TBT, CLS and the JS transferred.

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const TRACKS = ["microsoft-365", "microsoft-365-reseller", "exchange-server", "hosted-exchange"];
const PATHS = ["/guide", ...TRACKS.map((t) => `/guide/${t}`)];

function parseArgs(argv) {
  const args = { base: "", runs: 3, desktop: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") args.runs = Math.max(1, Number(argv[++i]) || 3);
    else if (a === "--desktop") args.desktop = true;
    else if (a === "--path") args.paths.push(argv[++i]);
    else if (!args.base) args.base = a;
  }
  if (!/^https?:\/\/[^/]+/.test(args.base)) {
    console.error("usage: node bench/lighthouse.mjs <base url, e.g. http://127.0.0.1:3000> [--runs 3] [--desktop]");
    process.exit(2);
  }
  args.base = args.base.replace(/\/$/, "");
  return args;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Lighthouse sometimes fails to record a trace (NO_NAVSTART) on a busy machine; such runs are repeated.
async function audit(url, port, config, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] }, config);
    const lhr = result?.lhr;
    if (lhr && !lhr.runtimeError) return lhr;
    const why = lhr?.runtimeError ? `${lhr.runtimeError.code} ${lhr.runtimeError.message}` : "no result";
    if (attempt >= attempts) throw new Error(`${url}: ${why}`);
    console.error(`${url}: ${why} — retrying`);
  }
}

async function main() {
  const { base, runs, desktop, paths } = parseArgs(process.argv.slice(2));
  const config = desktop ? (await import("lighthouse/core/config/desktop-config.js")).default : undefined;
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const rows = [];
  try {
    for (const path of paths.length ? paths : PATHS) {
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const lhr = await audit(base + path, chrome.port, config);
        const requests = lhr.audits["network-requests"]?.details?.items ?? [];
        samples.push({
          performance: lhr.categories.performance.score,
          accessibility: lhr.categories.accessibility.score,
          lcpMs: lhr.audits["largest-contentful-paint"].numericValue,
          tbtMs: lhr.audits["total-blocking-time"].numericValue,
          cls: lhr.audits["cumulative-layout-shift"].numericValue,
          jsKb: requests.filter((r) => r.resourceType === "Script").reduce((sum, r) => sum + (r.transferSize ?? 0), 0) / 1024,
          failedA11y: Object.values(lhr.categories.accessibility.auditRefs)
            .map((ref) => lhr.audits[ref.id])
            .filter((a) => a && a.score === 0)
            .map((a) => a.id),
        });
      }
      const pick = (k) => median(samples.map((s) => s[k]));
      rows.push({
        path,
        performance: pick("performance"),
        accessibility: pick("accessibility"),
        lcpMs: Math.round(pick("lcpMs")),
        tbtMs: Math.round(pick("tbtMs")),
        cls: Number(pick("cls").toFixed(3)),
        jsKb: Number(pick("jsKb").toFixed(1)),
        failedA11y: [...new Set(samples.flatMap((s) => s.failedA11y))].join(",") || "-",
      });
    }
  } finally {
    await chrome.kill();
  }
  console.log(`Lighthouse ${desktop ? "desktop" : "mobile (default)"} · median of ${runs} run(s) · ${base}`);
  console.table(rows);
  console.log(JSON.stringify({ base, runs, desktop, results: rows }));
  const guide = rows.find((r) => r.path === "/guide");
  if (guide && (guide.performance < 0.95 || guide.accessibility < 1)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
