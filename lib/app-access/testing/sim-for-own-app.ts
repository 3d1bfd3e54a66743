import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";

/**
 * The own-app tests' set-up: the simulator (its Entra and Graph) started for the file, this process pointed at it
 * (authority, Graph, allowed hosts, its CA) and a data directory for the key ring, removed afterwards.
 */
export function simForOwnApp(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  let started: ExchangeSim | undefined;
  beforeAll(async () => {
    started = await startExchangeSim();
    const ca = path.join(dir, "ca.pem");
    fs.writeFileSync(ca, started.caPem);
    Object.assign(process.env, {
      MICROSOFT_AUTHORITY_HOST: started.m365.authorityHost,
      MICROSOFT_GRAPH_URL: started.m365.graphUrl,
      EXCHANGE_ALLOWED_HOSTS: started.allowedHosts.join(","),
      EXCHANGE_EXTRA_CA_FILE: ca,
      APP_URL: "http://127.0.0.1:3997",
      DATA_DIR: dir,
    });
  });
  afterAll(async () => {
    await started?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    sim: (): ExchangeSim => {
      if (!started) throw new Error("the simulator starts in beforeAll: use it inside a test");
      return started;
    },
  };
}
