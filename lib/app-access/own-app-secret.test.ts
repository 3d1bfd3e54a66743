import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { connect, migrateToLatest } from "@/lib/db/connect";
import { createOnboarding, getOnboarding, listEvents } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { runTest } from "@/lib/test-runs/run";
import { ownAppSchema } from "@/lib/validation/own-app";
import { ownAppSecretSchema } from "@/lib/validation/own-app-secret";
import { loadDashboard } from "@/lib/staff/dashboard";
import { serviceCredentialRequest } from "@/lib/credentials/service-api";
import { createServiceToken } from "@/lib/credentials/service-tokens";
import { verifyOnboarding } from "@/lib/verification/workflow";
import { simForOwnApp } from "./testing/sim-for-own-app";
import { getAppAccess } from "./consent";
import { graphProbeFor, submitAppAccess } from "./lifecycle";
import { clientSecretView, openClientSecret, removeClientSecret, saveClientSecret } from "./own-app-secret";

const staff = { kind: "staff" as const, label: "Staff" };
const admin = { kind: "brokerage" as const, label: "Ola (brokerage)" };
const setup = simForOwnApp("own-secret");
const sim = setup.sim;
let n = 0;
const DAY = 24 * 3600 * 1000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString().slice(0, 10);


/** A simulated tenant whose own app holds `secret` (expired when `expired`). */
function ownTenant(secret: string, expired = false) {
  n++;
  const domain = `own-secret-${n}-${Date.now()}.sim.test`;
  const clientId = `5ec0${String(n).padStart(4, "0")}-aaaa-4bbb-8ccc-${Date.now().toString(16).padStart(12, "0").slice(-12)}`;
  sim().m365.directory.registerApp({ clientId, displayName: "Own app (secret)", secret, secretExpiresAt: new Date(Date.now() + (expired ? -3 : 300) * DAY) });
  sim().m365.directory.registerTenant({ domain, consentedApps: [clientId] });
  return { domain, clientId, agent: `agent@${domain}`, admin: `admin@${domain}` };
}
const form = (t: ReturnType<typeof ownTenant>) => ownAppSchema.parse({ tenant: t.domain, clientId: t.clientId, groupName: "MoxiEngage Agents", testMailbox: t.agent, outOfScopeMailbox: t.admin });
const SECRET = "Own~Secret.8Q~w1n7ErVa1ue0123456789abcd";

it("the client secret is sealed: it is nowhere in the SQLite files; only its hint is", async () => {
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "own-secret-db-"));
  const handle = connect({ dataDir: dbDir });
  try {
    await migrateToLatest(handle.db);
    const o = await createOnboarding(handle.db, { brokerageName: "Sealed Secret Realty", contactName: "S", contactEmail: "s@sealed.example", track: "microsoft-365" }, staff);
    const view = await saveClientSecret(handle.db, o.id, admin, ownAppSecretSchema.parse({ clientSecret: SECRET, expiresOn: inDays(200) }));
    expect(view.hint).toBe("Own…");
    expect((await openClientSecret(handle.db, o.id))?.clientSecret).toBe(SECRET);
    const events = JSON.stringify(await listEvents(handle.db, o.id));
    expect(events).not.toContain(SECRET.slice(3));
    await handle.close();
    const bytes = Buffer.concat(fs.readdirSync(dbDir).filter((f) => !f.endsWith(".json")).map((f) => fs.readFileSync(path.join(dbDir, f))));
    const text = bytes.toString("latin1");
    for (const part of [SECRET, SECRET.slice(3), SECRET.slice(10, 30)]) expect(text.includes(part), part).toBe(false);
    expect(bytes.includes(Buffer.from("Own…", "utf8"))).toBe(true);
  } finally {
    fs.rmSync(dbDir, { recursive: true, force: true });
  }
});

describeEachDatabase("own app registration with a client secret", (handle) => {
  const onboarding = (name: string) => createOnboarding(handle().db, { brokerageName: name, contactName: "Ola", contactEmail: `ola-${Date.now()}-${++n}@own.example`, track: "microsoft-365" }, staff);

  it("secret → test passes → submission → verified; dashboard shows its expiry; the service API returns the secret case", async () => {
    const { db } = handle();
    const t = ownTenant(SECRET);
    const o = await onboarding("Secret Realty");
    const expiresOn = inDays(120);
    await saveClientSecret(db, o.id, admin, ownAppSecretSchema.parse({ clientSecret: SECRET, expiresOn }));
    expect((await getAppAccess(db, o.id)).registration).toBe("own");
    expect(await clientSecretView(db, o.id)).toMatchObject({ hint: "Own…", expiresAt: `${expiresOn}T23:59:59.000Z` });
    const g = (await graphProbeFor(db, o.id, form(t)))!;
    expect(g.input.credential).toEqual({ kind: "secret", clientSecret: SECRET });
    const r = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: g });
    expect(r.outcome, r.log).toBe("passed");
    expect(r.log).not.toContain(SECRET);
    expect(await submitAppAccess(db, o.id, admin, form(t))).toBe("submitted");
    const run = await verifyOnboarding(db, o.id, "submission");
    expect(run?.outcome, run?.log).toBe("passed");
    expect((await getOnboarding(db, o.id))?.state).toBe("verified");

    const dash = await loadDashboard(db, { q: "", state: undefined, host: undefined, sort: "activity_desc", page: 1 });
    expect(dash.connections[o.id]).toMatchObject({ registration: "own", credentialKind: "secret", credentialExpiresAt: `${expiresOn}T23:59:59.000Z` });

    const { token } = await createServiceToken(db, { name: "sync" }, staff);
    const res = await serviceCredentialRequest(db, { authorization: `Bearer ${token}`, onboardingId: o.id, clientKey: `k-${o.id}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: "graph_own_app", tenantId: t.domain, clientId: t.clientId, clientSecret: { value: SECRET, expiresAt: `${expiresOn}T23:59:59.000Z` } });
    expect(res.body).not.toHaveProperty("certificate");
    const audit = (await listEvents(db, o.id)).filter((e) => e.type === "credential_api_read");
    expect(audit.at(-1)?.details).toMatchObject({ status: 200, outcome: "returned", method: "graph_own_app", credential: "secret" });
    expect(JSON.stringify(await listEvents(db, o.id))).not.toContain(SECRET.slice(3));
  });

  it("an expired secret → client_secret_expired (AADSTS7000222) with the brokerage admin's renewal step", async () => {
    const { db } = handle();
    const t = ownTenant(SECRET, true);
    const o = await onboarding("Expired Secret Realty");
    await saveClientSecret(db, o.id, admin, ownAppSecretSchema.parse({ clientSecret: SECRET, expiresOn: inDays(30) }));
    const r = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: (await graphProbeFor(db, o.id, form(t)))! });
    expect(r.outcome).toBe("failed");
    expect(r.primaryCause).toBe("client_secret_expired");
    expect(r.log).toContain("AADSTS7000222");
    expect(r.findings[0]).toMatchObject({ cause: "client_secret_expired", actor: "brokerage_admin" });
    // The renewal steps: a new secret in the Entra admin center, entered here with its expiry date.
    expect(JSON.stringify(r.findings[0])).toMatch(/Certificates & secrets → Client secrets and add a new client secret/);
  });

  it("no submission with neither certificate nor secret; removing the secret goes back to the certificate", async () => {
    const { db } = handle();
    const t = ownTenant(SECRET);
    const o = await onboarding("No Secret Realty");
    await expect(submitAppAccess(db, o.id, admin, form(t))).rejects.toThrow("certificate_required");
    await saveClientSecret(db, o.id, admin, ownAppSecretSchema.parse({ clientSecret: SECRET, expiresOn: inDays(30) }));
    expect(await removeClientSecret(db, o.id, admin)).toBe(true);
    expect(await removeClientSecret(db, o.id, admin)).toBe(false);
    expect(await openClientSecret(db, o.id)).toBeUndefined();
    expect(await graphProbeFor(db, o.id, form(t))).toBeUndefined(); // no certificate either
    await expect(submitAppAccess(db, o.id, admin, form(t))).rejects.toThrow("certificate_required");
  });
});
