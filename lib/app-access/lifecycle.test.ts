import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import https from "node:https";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLink, openLink, readLinkSession } from "@/lib/auth/links";
import { serviceCredentialRequest } from "@/lib/credentials/service-api";
import { createServiceToken } from "@/lib/credentials/service-tokens";
import { createOnboarding, getOnboarding } from "@/lib/onboarding/store";
import { describeEachDatabase } from "@/lib/testing/databases";
import { appAccessSchema } from "@/lib/validation/app-access";
import { reverifyOnboarding, verifyOnboarding } from "@/lib/verification/workflow";
import { tenantIdForDomain } from "@/tools/exchange-sim/entra";
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from "@/tools/exchange-sim/m365-scenarios";
import { startExchangeSim, type ExchangeSim } from "@/tools/exchange-sim/server";
import { appAccessSetup, checkTenantToken } from "./app";
import { completeConsent, readCallbackParams, startConsent } from "./consent";
import { AppAccessError, submitAppAccess } from "./lifecycle";

let sim: ExchangeSim;
let agent: https.Agent;
const staff = { kind: "staff" as const, label: "Staff" };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-access-"));

beforeAll(async () => {
  sim = await startExchangeSim();
  agent = new https.Agent({ ca: sim.caPem });
  const ca = path.join(dir, "ca.pem");
  fs.writeFileSync(ca, sim.caPem);
  // The server's settings, as the process would read them (config() reads the environment once, on first use).
  Object.assign(process.env, {
    MICROSOFT_CLIENT_ID: SIM_CLIENT_ID,
    MICROSOFT_CLIENT_SECRET: SIM_CLIENT_SECRET,
    MICROSOFT_AUTHORITY_HOST: sim.m365.authorityHost,
    MICROSOFT_GRAPH_URL: sim.m365.graphUrl,
    EXCHANGE_ALLOWED_HOSTS: sim.allowedHosts.join(","),
    EXCHANGE_EXTRA_CA_FILE: ca,
    APP_URL: "http://127.0.0.1:3998",
  });
});
afterAll(async () => {
  agent.destroy();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function post(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "POST", agent, headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.headers.location ?? ""));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const form = (over: Record<string, string> = {}) => appAccessSchema.parse({ groupName: "MoxiEngage Agents", testMailbox: "agent@healthy.sim.test", outOfScopeMailbox: "admin@healthy.sim.test", ...over });

describeEachDatabase("graph_app lifecycle", (handle) => {
  async function consented(account = "admin@healthy.sim.test") {
    const { db } = handle();
    const o = await createOnboarding(db, { brokerageName: "Graph Realty", contactName: "Gia", contactEmail: "gia@graph.example", track: "microsoft-365" }, staff);
    const { token } = await createLink(db, { onboardingId: o.id, kind: "brokerage", label: "Gia" }, staff);
    const opened = await openLink(db, token);
    if (!opened.ok) throw new Error("link");
    const session = (await readLinkSession(db, opened.sessionToken))!;
    const setup = appAccessSetup()!;
    const url = new URL(await startConsent(db, session, opened.sessionToken, setup, "http://127.0.0.1:3998"));
    const body = new URLSearchParams({ client_id: url.searchParams.get("client_id")!, redirect_uri: url.searchParams.get("redirect_uri")!, state: url.searchParams.get("state")!, decision: "accept", account });
    const back = new URL(await post(`${url.origin}${url.pathname}`, body.toString()));
    const result = await completeConsent(db, readCallbackParams(back.searchParams), opened.sessionToken, setup, (t) => checkTenantToken(t));
    return { id: o.id, session, result };
  }

  it("consent → submission (no secret) → verified by the Graph test → the service API returns the graph_app record", async () => {
    const { db } = handle();
    const { id, session, result } = await consented();
    expect(result.outcome).toBe("granted");
    expect(await submitAppAccess(db, id, session.actor, form())).toBe("submitted");
    const run = await verifyOnboarding(db, id, "submission");
    expect(run?.outcome).toBe("passed");
    expect(run?.log).toMatch(/^Microsoft Graph app-access test/);
    expect(run?.log).not.toContain(SIM_CLIENT_SECRET);
    expect((await getOnboarding(db, id))?.state).toBe("verified");
    const mail = await db.selectFrom("outbox").select("template").where("onboarding_id", "=", id).execute();
    expect(mail.map((m) => m.template)).toContain("verified");
    const { token } = await createServiceToken(db, { name: "sync" }, staff);
    const res = await serviceCredentialRequest(db, { authorization: `Bearer ${token}`, onboardingId: id, clientKey: `k-${id}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: "graph_app", onboardingId: id, tenantId: tenantIdForDomain("healthy.sim.test"), clientId: SIM_CLIENT_ID, scope: { group: "MoxiEngage Agents" } });
    expect(JSON.stringify(res.body)).not.toContain(SIM_CLIENT_SECRET);
    // Daily re-verification runs the same test; a removed role assignment is found.
    sim.m365.directory.setMailboxScenario("agent@healthy.sim.test", "no-role-assignment");
    try {
      const again = await reverifyOnboarding(db, id);
      expect(again?.outcome).toBe("failed");
      expect(again?.primaryCause).toBe("app_access_denied");
      expect(again?.findings[0]?.guideStep).toBe("/guide/microsoft-365-app-access#scope-app-access-4");
      expect((await getOnboarding(db, id))?.state).toBe("needs_attention");
    } finally {
      sim.m365.directory.setMailboxScenario("agent@healthy.sim.test", null);
    }
  });

  it("an out-of-reach mailbox that can be read fails verification with app_scope_too_broad", async () => {
    const { db } = handle();
    const { id, session } = await consented();
    await submitAppAccess(db, id, session.actor, form());
    sim.m365.directory.setTenantScenario(tenantIdForDomain("healthy.sim.test"), "tenant-wide-grant");
    try {
      const run = await verifyOnboarding(db, id, "submission");
      expect(run?.primaryCause).toBe("app_scope_too_broad");
      expect((await getOnboarding(db, id))?.state).toBe("needs_attention");
    } finally {
      sim.m365.directory.setTenantScenario(tenantIdForDomain("healthy.sim.test"), null);
    }
  });

  it("no submission without trusted consent", async () => {
    const { db } = handle();
    const { id, session, result } = await consented("admin@bad-secret.sim.test");
    expect(result.outcome).toBe("granted_untrusted");
    await expect(submitAppAccess(db, id, session.actor, form())).rejects.toBeInstanceOf(AppAccessError);
    expect((await getOnboarding(db, id))?.state).toBe("invited");
  });
});

it("the form refuses bad input", () => {
  const bad: Record<string, unknown>[] = [
    {},
    { groupName: 42, testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com" },
    { groupName: "x'; Remove-Mailbox", testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com" },
    { groupName: "G".repeat(65), testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com" },
    { groupName: "G", testMailbox: "a@b.com", outOfScopeMailbox: "A@b.com" },
    { groupName: "G", testMailbox: "../../users", outOfScopeMailbox: "c@b.com" },
    { groupName: "G", testMailbox: `${"a".repeat(300)}@b.com`, outOfScopeMailbox: "c@b.com" },
    { groupName: "G", testMailbox: "a@127.0.0.1", outOfScopeMailbox: "c@b.com" },
    { groupName: "G\u202e", testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com" },
    { groupName: "G", testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com", sendTestMail: "yes" },
  ];
  for (const b of bad) expect(appAccessSchema.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  expect(appAccessSchema.parse({ groupName: " Agents ", testMailbox: "A@B.com", outOfScopeMailbox: "c@b.com", sendTestMail: "on" })).toEqual({ groupName: "Agents", testMailbox: "a@b.com", outOfScopeMailbox: "c@b.com", sendTestMail: true });
});
