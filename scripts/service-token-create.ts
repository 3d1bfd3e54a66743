/**
 * `npm run service-token:create -- --name "sync platform" [--scope credentials:read]` — creates a bearer token
 * for the service API and prints it ONCE (only its SHA-256 is stored).
 * `npm run service-token:create -- --revoke <id>` revokes one; `-- --list` lists them (never the tokens).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { parseConfig } from "../lib/config";
import { connect, migrateToLatest } from "../lib/db/connect";
import { createServiceToken, listServiceTokens, revokeServiceToken } from "../lib/credentials/service-tokens";

try {
  const { values } = parseArgs({
    options: { name: { type: "string" }, scope: { type: "string", multiple: true }, revoke: { type: "string" }, list: { type: "boolean" } },
  });
  const chosen = [values.name !== undefined, values.revoke !== undefined, values.list === true].filter(Boolean).length;
  if (chosen !== 1) throw new Error('Use exactly one of: --name "sync platform" | --revoke <id> | --list');
  const config = parseConfig(process.env);
  const handle = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const actor = { kind: "system" as const, label: `service-token:create (${os.userInfo().username})` };
  try {
    await migrateToLatest(handle.db);
    if (values.list) {
      const tokens = await listServiceTokens(handle.db);
      if (tokens.length === 0) console.log("No service tokens.");
      for (const t of tokens) {
        console.log(`${t.id}  ${t.revokedAt ? `revoked ${t.revokedAt}` : "active"}  scope=${t.scopes.join(" ")}  "${t.name}"  created ${t.createdAt}  last used ${t.lastUsedAt ?? "never"}`);
      }
    } else if (values.revoke !== undefined) {
      const t = await revokeServiceToken(handle.db, values.revoke, actor);
      console.log(`Revoked service token ${t.id} ("${t.name}"). It stops working at once.`);
    } else {
      const { token, info } = await createServiceToken(handle.db, { name: values.name!, scopes: values.scope }, actor);
      console.log(`Service token "${info.name}" (id ${info.id}, scope ${info.scopes.join(" ")}).`);
      console.log("Copy it now into the sync platform's secret store: it is not stored and cannot be shown again.");
      console.log(token);
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
