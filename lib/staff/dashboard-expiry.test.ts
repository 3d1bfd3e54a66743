import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { chooseOwnApp } from "@/lib/app-access/own-app";
import { createOnboarding } from "@/lib/onboarding/store";
import { loadDashboard } from "./dashboard";
import { parseDashboardParams, SORT_LABELS } from "./params";

const staff = { kind: "staff" as const, label: "Staff" };
const DAY = 24 * 3600 * 1000;
const iso = (days: number) => new Date(Date.UTC(2027, 0, 1) + days * DAY).toISOString();

it("the sort is offered and parsed; anything else falls back", () => {
  expect(parseDashboardParams({ sort: "expires_asc" }).sort).toBe("expires_asc");
  expect(SORT_LABELS.expires_asc).toBe("Credential expires soonest first");
  expect(["expires_desc", "EXPIRES_ASC", "expires_asc'--"].map((sort) => parseDashboardParams({ sort }).sort)).toEqual(["activity_desc", "activity_desc", "activity_desc"]);
});

describeEachDatabase("dashboard: credential expires", (handle) => {
  it("shows each own app's credential expiry and sorts by it, soonest first; a client secret wins over the certificate; none last", async () => {
    const { db } = handle();
    const tag = `exp${Date.now().toString(36)}`;
    const make = async (name: string, activityDays: number) => {
      const o = await createOnboarding(db, { brokerageName: `${tag} ${name}`, contactName: "C", contactEmail: "c@x.test", track: "microsoft-365" }, staff);
      await db.updateTable("onboardings").set({ last_activity_at: iso(activityDays) }).where("id", "=", o.id).execute();
      return o.id;
    };
    const cert = async (onboardingId: string, id: string, notAfterDays: number, status: string, createdDays = 0) =>
      db.insertInto("app_certificates").values({ id: `${tag}-${id}`, onboarding_id: onboardingId, certificate_pem: "-", sealed_key: null, thumbprint_sha256: "A", thumbprint_sha1: "B", not_before: iso(0), not_after: iso(notAfterDays), status, created_at: iso(createdDays), created_by: "t", verified_at: null, destroyed_at: null }).execute();
    const ids: Record<string, string> = {};
    // A: certificate in use expires in 300 days; a newer pending one in 400 (the one in use counts).
    ids.A = await make("A", 1);
    await chooseOwnApp(db, ids.A);
    await cert(ids.A, "a1", 300, "active", 0);
    await cert(ids.A, "a2", 400, "pending", 5);
    // B: a certificate in 500 days but a client secret in 30 days: the secret is what signs in.
    ids.B = await make("B", 2);
    await chooseOwnApp(db, ids.B);
    await cert(ids.B, "b1", 500, "active");
    await db.insertInto("app_client_secrets").values({ onboarding_id: ids.B, sealed_secret: "x", hint: "abc…", expires_at: iso(30), created_at: iso(0), created_by: "t" }).execute();
    // C: only a destroyed certificate: nothing expires.
    ids.C = await make("C", 3);
    await chooseOwnApp(db, ids.C);
    await cert(ids.C, "c1", 10, "destroyed");
    // D: a service account onboarding: nothing expires. E: own app, pending certificate only, in 200 days.
    ids.D = await make("D", 4);
    ids.E = await make("E", 0);
    await chooseOwnApp(db, ids.E);
    await cert(ids.E, "e1", 200, "pending");

    const d = await loadDashboard(db, parseDashboardParams({ q: tag, sort: "expires_asc" }));
    expect(d.list.items.map((o) => o.brokerageName.split(" ")[1])).toEqual(["B", "E", "A", "D", "C"]);
    expect(d.connections[ids.B!]).toMatchObject({ credentialKind: "secret", credentialExpiresAt: iso(30) });
    expect(d.connections[ids.A!]).toMatchObject({ credentialKind: "certificate", credentialExpiresAt: iso(300) });
    expect(d.connections[ids.E!]?.credentialExpiresAt).toBe(iso(200));
    expect(d.connections[ids.C!]?.credentialExpiresAt).toBeNull();
    expect(d.connections[ids.D!]).toBeUndefined();
    // The default sort is unchanged: latest activity first.
    const plain = await loadDashboard(db, parseDashboardParams({ q: tag }));
    expect(plain.list.items.map((o) => o.brokerageName.split(" ")[1])).toEqual(["D", "C", "B", "A", "E"]);
  });
});
