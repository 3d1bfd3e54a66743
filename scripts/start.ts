/**
 * `npm start`: check the configuration, build when the sources are newer than the last build, migrate the
 * database, then serve the production build. A bad setting stops here with one line naming it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { initialStaffLink } from "../lib/auth/bootstrap";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "data") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ["app", "components", "lib", "public"]) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of ["next.config.js", "proxy.ts", "instrumentation.ts", "package-lock.json", "postcss.config.mjs"]) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const buildId = path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (!fs.existsSync(buildId) || fs.statSync(buildId).mtimeMs < newestSourceMtime()) {
    console.log("Building the app (first start or changed sources)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) fail("The build failed; see the output above.");
  }

  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(handle.db);
    console.log(`Database: ${handle.description}${applied.length ? ` (applied ${applied.join(", ")})` : ", up to date"}`);
    const initial = await initialStaffLink(handle.db, config.appUrl);
    if (initial?.kind === "issued") {
      console.log(`\nNo staff member can sign in yet. Open this one-time link within 24 hours to set the password for`);
      console.log(`${initial.email} (techops), then enrol an authenticator app:\n  ${initial.url}\n`);
    } else if (initial?.kind === "already_issued") {
      console.log(`\nNo staff member can sign in yet. The first-start set-up link for ${initial.email} was printed on ${initial.issuedAt}`);
      console.log(`(it is issued once per database). Lost it? Make a fresh one:\n  npm run staff:create -- --email ${initial.email} --role techops\n`);
    } else {
      console.log(`Staff sign in at ${config.appUrl}/staff (new accounts: npm run staff:create -- --email … --role staff|techops)`);
    }
  } catch (error) {
    fail(`Database error: cannot prepare ${handle.description}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }

  console.log(`MoxiEngage Onboarding at ${config.appUrl} (port ${config.port})`);
  // Next's handler behind our own node:http server, which tells route handlers the client's socket address.
  const server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], { cwd: root, stdio: "inherit", env: { ...process.env, PORT: String(config.port) } });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => fail(`Start failed: ${(error as Error).message}`));
