import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";

/**
 * For tests that start real child processes ("other app instances") against the Exchange simulator: one data
 * directory shared with the children (the key ring lives there, so they can open what this process saved), the
 * simulator started for the file, its CA written where the children's settings point, and the environment that
 * makes a child trust it. Call at the top of the test file: DATA_DIR is set before any test opens the database.
 */
export function simForChildProcesses(name: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `moxi-${name}-`));
  process.env.DATA_DIR = dataDir;
  const caFile = path.join(dataDir, "sim-ca.pem");
  let started: ExchangeSim | undefined;
  beforeAll(async () => {
    started = await startExchangeSim();
    fs.writeFileSync(caFile, started.caPem);
  });
  afterAll(async () => {
    await started?.close();
  });
  const sim = () => {
    if (!started) throw new Error("the simulator starts in beforeAll: use it inside a test");
    return started;
  };
  return {
    dataDir,
    sim,
    /** A child's environment: this file's data directory, the simulator trusted and allowed, quiet logs. */
    childEnv: (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      DATA_DIR: dataDir,
      EXCHANGE_ALLOWED_HOSTS: sim().allowedHosts.join(","),
      EXCHANGE_EXTRA_CA_FILE: caFile,
      LOG_LEVEL: "silent",
      ...extra,
    }),
  };
}
