import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { expect, it } from "vitest";
import { connect, migrateToLatest } from "@/lib/db/connect";
import { privateKeyForms } from "@/lib/graph/key-forms";
import { createOnboarding, getOnboarding, listEvents } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { runTest } from "@/lib/test-runs/run";
import { ownAppSchema } from "@/lib/validation/own-app";
import { loadDashboard } from "@/lib/staff/dashboard";
import { serviceCredentialRequest } from "@/lib/credentials/service-api";
import { createServiceToken } from "@/lib/credentials/service-tokens";
import { reverifyOnboarding, verifyOnboarding } from "@/lib/verification/workflow";
import { tenantIdForDomain } from "@/tools/exchange-sim/entra";
import { simForOwnApp } from "./testing/sim-for-own-app";
import { addMonths, CERTIFICATE_VALIDITY_MONTHS, generateAppCertificate } from "./certificate";
import { getAppAccess } from "./consent";
import { graphProbeFor, promoteIfPassed, submitAppAccess } from "./lifecycle";
import { certificateForDownload, generateCertificate, listCertificates, openCertificate } from "./own-app";

const staff = { kind: "staff" as const, label: "Staff" };
const admin = { kind: "brokerage" as const, label: "Ola (brokerage)" };
const setup = simForOwnApp("own-app");
const sim = setup.sim;
let n = 0;


/** A fresh simulated tenant with the brokerage's own single-tenant app registered in it (no certificate yet). */
function ownTenant() {
  n++;
  const domain = `own-${n}-${Date.now()}.sim.test`;
  const clientId = `0000${String(n).padStart(4, "0")}-aaaa-4bbb-8ccc-${Date.now().toString(16).padStart(12, "0").slice(-12)}`;
  sim().m365.directory.registerApp({ clientId, displayName: "MoxiEngage (our own registration)" });
  const tenant = sim().m365.directory.registerTenant({ domain, consentedApps: [clientId] });
  return { domain, tenantId: tenant.id, clientId, agent: `agent@${domain}`, admin: `admin@${domain}` };
}
const upload = (clientId: string, certificatePem: string) => sim().m365.directory.registerApp({ clientId, certificatePem });
const form = (t: ReturnType<typeof ownTenant>, over: Record<string, string> = {}) =>
  ownAppSchema.parse({ tenant: t.domain, clientId: t.clientId, groupName: "MoxiEngage Agents", testMailbox: t.agent, outOfScopeMailbox: t.admin, ...over });

it("makes an RSA key pair and a self-signed certificate valid for 12 months, with both thumbprints", async () => {
  const now = new Date("2026-12-04T20:00:00Z");
  const made = await generateAppCertificate("Own App Realty <script>", now);
  const cert = new X509Certificate(made.certificatePem);
  expect(cert.checkPrivateKey(createPrivateKey(made.privateKeyPem))).toBe(true);
  expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  expect(cert.subject).toContain("CN=MoxiEngage sync for Own App Realty script");
  expect(cert.verify(cert.publicKey)).toBe(true);
  expect(new Date(cert.validTo).getTime()).toBe(addMonths(made.notBefore, CERTIFICATE_VALIDITY_MONTHS).getTime());
  expect(made.notAfter.toISOString().slice(0, 10)).toBe("2027-12-04");
  expect(made.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
  expect(made.thumbprintSha1).toBe(cert.fingerprint.replace(/:/g, ""));
  expect(addMonths(new Date("2026-01-31T00:00:00Z"), 1).toISOString().slice(0, 10)).toBe("2026-02-28");
});

it("the private key is sealed: neither its PEM nor its body is anywhere in the SQLite files", async () => {
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "own-app-db-"));
  const handle = connect({ dataDir: dbDir });
  try {
    await migrateToLatest(handle.db);
    const o = await createOnboarding(handle.db, { brokerageName: "Sealed Realty", contactName: "S", contactEmail: "s@sealed.example", track: "microsoft-365" }, staff);
    const view = await generateCertificate(handle.db, o.id, admin);
    const opened = (await openCertificate(handle.db, o.id, "newest"))!;
    expect(opened.privateKeyPem).toContain("BEGIN PRIVATE KEY");
    const der = createPrivateKey(opened.privateKeyPem).export({ type: "pkcs8", format: "der" }).toString("base64");
    await handle.close();
    const bytes = Buffer.concat(fs.readdirSync(dbDir).filter((f) => !f.endsWith(".json")).map((f) => fs.readFileSync(path.join(dbDir, f))));
    const text = bytes.toString("latin1");
    for (const form of [...privateKeyForms(opened.privateKeyPem), der, der.slice(100, 164)]) expect(text.includes(form), form.slice(0, 30)).toBe(false);
    // …while the public certificate is stored in clear (it is public) with its thumbprint.
    expect(text).toContain(view.thumbprintSha256);
  } finally {
    fs.rmSync(dbDir, { recursive: true, force: true });
  }
});

describeEachDatabase("own app registration", (handle) => {
  async function onboarding(name = "Own App Realty") {
    return createOnboarding(handle().db, { brokerageName: name, contactName: "Ola", contactEmail: `ola-${Date.now()}-${n}@own.example`, track: "microsoft-365" }, staff);
  }

  it("certificate → uploaded to the app → submission → verified; the certificate is then active", async () => {
    const { db } = handle();
    const t = ownTenant();
    const o = await onboarding();
    const cert = await generateCertificate(db, o.id, admin);
    expect(cert.status).toBe("pending");
    expect((await getAppAccess(db, o.id)).registration).toBe("own");
    const download = await certificateForDownload(db, o.id, cert.id);
    expect(download?.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(download?.pem).not.toContain("PRIVATE");
    upload(t.clientId, download!.pem);
    expect(await submitAppAccess(db, o.id, admin, form(t))).toBe("submitted");
    const run = await verifyOnboarding(db, o.id, "submission");
    expect(run?.outcome, run?.log).toBe("passed");
    expect((await getOnboarding(db, o.id))?.state).toBe("verified");
    const rec = await getAppAccess(db, o.id);
    expect(rec).toMatchObject({ method: "graph_app", registration: "own", tenantId: t.domain, clientId: t.clientId });
    expect((await listCertificates(db, o.id)).map((c) => c.status)).toEqual(["active"]);
    const key = (await openCertificate(db, o.id, "working"))!.privateKeyPem;
    for (const f of privateKeyForms(key)) expect(run!.log.includes(f)).toBe(false);
    // Staff see the certificate's expiry on the dashboard.
    const dash = await loadDashboard(db, { q: "", state: undefined, host: undefined, sort: "activity_desc", page: 1 });
    expect(dash.connections[o.id]).toMatchObject({ registration: "own", credentialExpiresAt: cert.notAfter });
    // The sync gets its own case of the union, with the certificate in use, to a service token only, audited.
    const { token } = await createServiceToken(db, { name: "sync" }, staff);
    const res = await serviceCredentialRequest(db, { authorization: `Bearer ${token}`, onboardingId: o.id, clientKey: `k-${o.id}` });
    expect(res.status).toBe(200);
    const body = res.body as { method: string; certificate: { privateKeyPem: string; certificatePem: string; thumbprint: string; expiresAt: string } };
    expect(body).toMatchObject({ method: "graph_own_app", onboardingId: o.id, tenantId: t.domain, clientId: t.clientId, scope: { group: "MoxiEngage Agents" } });
    expect(body.certificate.thumbprint).toBe(cert.thumbprintSha256.toLowerCase());
    expect(body.certificate.expiresAt).toBe(cert.notAfter);
    expect(new X509Certificate(body.certificate.certificatePem).checkPrivateKey(createPrivateKey(body.certificate.privateKeyPem))).toBe(true);
    const audit = (await listEvents(db, o.id)).filter((e) => e.type === "credential_api_read");
    expect(audit.at(-1)?.details).toMatchObject({ status: 200, outcome: "returned", method: "graph_own_app" });
    expect(JSON.stringify(audit)).not.toContain("PRIVATE KEY");
    expect((await serviceCredentialRequest(db, { authorization: null, onboardingId: o.id, clientKey: `k-${o.id}` })).status).toBe(401);
    // A certificate rejected at re-verification flags needs attention with that cause, for the brokerage to fix.
    sim().m365.directory.setTenantScenario(t.tenantId, "bad-certificate");
    try {
      const again = await reverifyOnboarding(db, o.id);
      expect(again?.primaryCause).toBe("certificate_invalid");
      expect(again?.findings[0]?.actor).toBe("brokerage_admin");
      expect((await getOnboarding(db, o.id))?.state).toBe("needs_attention");
    } finally {
      sim().m365.directory.setTenantScenario(t.tenantId, null);
    }
  });

  it("a wrong client id → app_not_found (AADSTS700016); a certificate not uploaded → certificate_invalid (AADSTS700027)", async () => {
    const { db } = handle();
    const t = ownTenant();
    const o = await onboarding();
    const cert = await generateCertificate(db, o.id, admin);
    upload(t.clientId, (await certificateForDownload(db, o.id, cert.id))!.pem);
    const wrong = "11111111-2222-4333-8444-555555555555";
    const g1 = (await graphProbeFor(db, o.id, form(t, { clientId: wrong })))!;
    const r1 = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: g1 });
    expect(r1.outcome).toBe("failed");
    expect(r1.primaryCause).toBe("app_not_found");
    expect(r1.log).toContain("AADSTS700016");
    // The brokerage's own app: the brokerage's admin fixes it, in the own-app guide (not "contact MoxiWorks").
    expect(r1.findings[0]).toMatchObject({ actor: "brokerage_admin", guideStep: "/guide/microsoft-365-own-app#register-own-app-2" });

    const other = ownTenant(); // an app that never got this certificate
    const g2 = (await graphProbeFor(db, o.id, form(other)))!;
    const r2 = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: g2 });
    expect(r2.primaryCause).toBe("certificate_invalid");
    expect(r2.log).toContain("AADSTS700027");
    expect(r2.findings[0]).toMatchObject({ cause: "certificate_invalid", actor: "brokerage_admin", guideStep: "/guide/microsoft-365-own-app#upload-certificate-2" });
    expect(r2.findings.some((f) => f.actor === "moxiworks")).toBe(false);
  });

  it("renewal: the old certificate keeps working until the new one verifies, then its key is gone", async () => {
    const { db } = handle();
    const t = ownTenant();
    const o = await onboarding();
    const first = await generateCertificate(db, o.id, admin);
    upload(t.clientId, (await certificateForDownload(db, o.id, first.id))!.pem);
    await submitAppAccess(db, o.id, admin, form(t));
    expect((await verifyOnboarding(db, o.id, "submission"))?.outcome).toBe("passed");

    const second = await generateCertificate(db, o.id, admin);
    expect((await listCertificates(db, o.id)).map((c) => [c.id, c.status])).toEqual([[second.id, "pending"], [first.id, "active"]]);
    // Not uploaded yet: the re-verification (and the sync) still use the old one, and pass.
    expect((await reverifyOnboarding(db, o.id))?.outcome).toBe("passed");
    expect((await getOnboarding(db, o.id))?.state).toBe("verified");
    // The admin's test uses the new one: refused until it is uploaded, and nothing changes.
    const g1 = (await graphProbeFor(db, o.id, form(t)))!;
    expect(g1.certificateId).toBe(second.id);
    const r1 = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: g1 });
    expect(r1.primaryCause).toBe("certificate_invalid");
    await promoteIfPassed(db, o.id, g1.certificateId, r1.outcome, admin);
    expect((await openCertificate(db, o.id, "working"))?.certificateId).toBe(first.id);

    upload(t.clientId, (await certificateForDownload(db, o.id, second.id))!.pem);
    const g2 = (await graphProbeFor(db, o.id, form(t)))!;
    const r2 = await runTest(db, { onboardingId: o.id, trigger: "manual", actor: admin, graph: g2 });
    expect(r2.outcome, r2.log).toBe("passed");
    await promoteIfPassed(db, o.id, g2.certificateId, r2.outcome, admin);
    expect((await listCertificates(db, o.id)).map((c) => [c.id, c.status])).toEqual([[second.id, "active"]]);
    const old = await db.selectFrom("app_certificates").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ status: "destroyed", sealed_key: null });
    expect(await certificateForDownload(db, o.id, first.id)).toBeUndefined();
    const types = (await listEvents(db, o.id)).map((e) => e.type);
    for (const t of ["app_certificate_generated", "app_certificate_verified", "app_certificate_destroyed"]) expect(types).toContain(t);
    expect((await reverifyOnboarding(db, o.id))?.outcome).toBe("passed");
  });

  it("no submission without a certificate; another onboarding's certificate is not downloadable", async () => {
    const { db } = handle();
    const t = ownTenant();
    const a = await onboarding();
    const b = await onboarding("Other Realty");
    await expect(submitAppAccess(db, a.id, admin, form(t))).rejects.toMatchObject({ code: "certificate_required" });
    const cert = await generateCertificate(db, b.id, admin);
    expect(await certificateForDownload(db, a.id, cert.id)).toBeUndefined();
    expect(tenantIdForDomain(t.domain)).toBe(t.tenantId);
  });
});

it("the own-app form refuses bad input with specific messages", () => {
  const ok = { tenant: "contoso.onmicrosoft.com", clientId: "6731de76-14a6-49ae-97bc-6eba6914391e", groupName: "Agents", testMailbox: "a@contoso.com", outOfScopeMailbox: "b@contoso.com" };
  expect(ownAppSchema.parse({ ...ok, clientId: " 6731DE76-14A6-49AE-97BC-6EBA6914391E ", tenant: " Contoso.OnMicrosoft.com" })).toMatchObject({ clientId: "6731de76-14a6-49ae-97bc-6eba6914391e", tenant: "contoso.onmicrosoft.com" });
  const message = (over: Record<string, unknown>, field: string) => {
    const r = ownAppSchema.safeParse({ ...ok, ...over });
    expect(r.success, JSON.stringify(over).slice(0, 80)).toBe(false);
    return (r.error!.issues.find((i) => i.path[0] === field) ?? { message: "" }).message;
  };
  expect(message({ clientId: 42 }, "clientId")).toMatch(/Application \(client\) ID/);
  expect(message({ clientId: ["a", "b"] }, "clientId")).toMatch(/Application \(client\) ID/);
  expect(message({ clientId: "" }, "clientId")).toMatch(/Overview page/);
  expect(message({ clientId: "not-a-guid" }, "clientId")).toMatch(/must be a GUID/);
  expect(message({ clientId: "6731de76-14a6-49ae-97bc-6eba6914391" }, "clientId")).toMatch(/must be a GUID/);
  expect(message({ clientId: "6731de76-14a6-49ae-97bc-6eba6914391e'; DROP TABLE x;--" }, "clientId")).toMatch(/must be a GUID/);
  expect(message({ clientId: "x".repeat(5000) }, "clientId")).toMatch(/too long/);
  expect(message({ tenant: ok.clientId.replace("6731", "aaaa"), clientId: ok.clientId.replace("6731", "aaaa") }, "clientId")).toMatch(/Directory \(tenant\) ID/);
  expect(message({ tenant: "common" }, "tenant")).toMatch(/not a tenant/);
  expect(message({ tenant: "evil.com/../../x" }, "tenant")).toMatch(/only/);
  expect(message({ tenant: "127.0.0.1" }, "tenant")).toMatch(/IP address/);
  expect(message({ tenant: "contoso.com\u202e" }, "tenant")).not.toBe("");
  expect(message({ tenant: `${"a".repeat(250)}.com` }, "tenant")).toMatch(/too long/);
  expect(message({ tenant: { $ne: 1 } }, "tenant")).toMatch(/tenant/i);
  expect(message({ tenant: "" }, "tenant")).toMatch(/Enter the tenant/);
});
