import { expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { describeEachDatabase } from "@/lib/testing/databases";
import { BROKERAGE, onboardingIn, SYSTEM } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { appendEvent, getOnboarding, transition, type Actor } from "@/lib/onboarding/store";
import { changeState } from "@/lib/verification/controls";
import { JOBS, tick } from "@/lib/jobs/scheduler";
import { IncidentError, openIncident, type OpenIncidentInput } from "./open";
import { notifyPending } from "./notify";
import { resolveSelection, parseList } from "./selection";
import { closeIncident, exceptMember, exportIncident, recordAppRotation, remindDue, remindRest } from "./manage";
import { countMembers, csvField, getIncident, incidentMembers } from "./report";
import { chooseOwnApp, generateCertificate, promoteCertificate } from "@/lib/app-access/own-app";

const TECHOPS: Actor = { kind: "techops", id: "ops-1", label: "Olu (TechOps)" };

async function verified(db: Kysely<Database>, name: string, email: string, method?: "graph_app") {
  const id = await onboardingIn(db, "verified");
  await db.updateTable("onboardings").set({ brokerage_name: name, contact_email: email, search_text: `${name} ann ${email}`.toLowerCase(), ...(method ? { connection_method: method } : {}) }).where("id", "=", id).execute();
  return id;
}

const input = (selection: OpenIncidentInput["selection"], patch: Partial<OpenIncidentInput> = {}): OpenIncidentInput => ({
  name: "Vendor portal phishing",
  reason: "A phishing mail reached the vendor portal's admins.",
  selection,
  dueDays: 7,
  reminderEveryHours: 0,
  ...patch,
});

async function rotate(db: Kysely<Database>, id: string) {
  await transition(db, id, "submitted", BROKERAGE);
  await transition(db, id, "verifying", SYSTEM);
  await transition(db, id, "verified", SYSTEM);
}

describeEachDatabase("security incidents", (handle) => {
  it("selects the verified onboardings of a filter or a pasted list, and says which entries were left out and why", async () => {
    const { db } = handle();
    const tag = `sel${Date.now()}`;
    const a = await verified(db, `Alpha ${tag}`, `alpha@${tag}.test`);
    const b = await verified(db, `Beta ${tag}`, `beta@${tag}.test`, "graph_app");
    const notYet = await onboardingIn(db, "submitted");
    const filtered = await resolveSelection(db, { kind: "filter", q: tag });
    expect(filtered.members).toEqual(expect.arrayContaining([{ onboardingId: a, method: "ews_impersonation" }, { onboardingId: b, method: "graph_app" }]));
    expect(filtered.members).toHaveLength(2);
    expect((await resolveSelection(db, { kind: "all_verified" })).members.map((m) => m.onboardingId)).toEqual(expect.arrayContaining([a, b]));
    const listed = await resolveSelection(db, { kind: "list", list: `${a}\nBETA@${tag}.test, ${notYet}; nobody@nowhere.test\n${a}` });
    expect(listed.members.map((m) => m.onboardingId).sort()).toEqual([a, b].sort());
    expect(listed.unmatched).toEqual(["nobody@nowhere.test"]);
    expect(listed.notVerified).toEqual([notYet]);
    expect(parseList(" x ,y;;\n\nx ")).toEqual(["x", "y"]);
  });

  it("refuses an empty selection and a count that changed since the review", async () => {
    const { db } = handle();
    await expect(openIncident(db, input({ kind: "filter", q: "no-such-brokerage-anywhere" }), TECHOPS)).rejects.toEqual(new IncidentError("incident_empty"));
    const tag = `cnt${Date.now()}`;
    await verified(db, `Gamma ${tag}`, `g@${tag}.test`);
    await expect(openIncident(db, input({ kind: "filter", q: tag }), TECHOPS, { expectedCount: 2 })).rejects.toEqual(new IncidentError("incident_count_changed"));
    expect(await db.selectFrom("incidents").select("id").where("name", "=", `never ${tag}`).execute()).toEqual([]);
  });

  it("asks EWS brokerages to rotate, asks app-access ones nothing, tracks progress, reminds the rest, and closes only when all are done", async () => {
    const { db } = handle();
    const tag = `flow${Date.now()}`;
    const ews = [];
    for (let i = 0; i < 5; i++) ews.push(await verified(db, `Broker ${i} ${tag}`, `admin${i}@${tag}.test`));
    const app = await verified(db, `App ${tag}`, `app@${tag}.test`, "graph_app");
    const gone = await verified(db, `Gone ${tag}`, `gone@${tag}.test`);
    const { id, members } = await openIncident(db, input({ kind: "filter", q: tag }, { reminderEveryHours: 24 }), TECHOPS, { expectedCount: 7 });
    expect(members).toBe(7);
    // Revoked between opening and notifying: not mailed.
    await changeState(db, gone, "revoked", TECHOPS, "brokerage left MoxiEngage");

    const report = await notifyPending(db, id, { batchSize: 2 });
    expect(report).toEqual({ batches: 4, notified: 5, appAccess: 1, notApplicable: 1 });
    for (const o of ews) {
      expect((await getOnboarding(db, o))?.state).toBe("rotation_requested");
      const mails = await listOutbox(db, { onboardingId: o });
      expect(mails.map((m) => m.template)).toEqual(["incident_rotation"]);
      expect(mails[0]!.body).toContain("Vendor portal phishing");
      expect(mails[0]!.body).toContain("A phishing mail reached the vendor portal's admins.");
    }
    expect((await getOnboarding(db, app))?.state).toBe("verified");
    expect(await listOutbox(db, { onboardingId: app })).toEqual([]);
    const moved = await db.selectFrom("events").select(["actor_kind", "details"]).where("onboarding_id", "=", ews[0]!).where("to_state", "=", "rotation_requested").executeTakeFirstOrThrow();
    expect(moved.actor_kind).toBe("techops");
    expect(JSON.parse(moved.details)).toEqual({ incidentId: id });

    // One rotates and verifies, one submits, one opens its workspace.
    await rotate(db, ews[0]!);
    await transition(db, ews[1]!, "submitted", BROKERAGE);
    await appendEvent(db, { onboardingId: ews[2]!, type: "checklist_ticked", actor: BROKERAGE });
    const incident = (await getIncident(db, id))!;
    const list = await incidentMembers(db, incident);
    expect(Object.fromEntries(list.map((m) => [m.onboardingId, m.phase]))).toEqual({
      [ews[0]!]: "rotated", [ews[1]!]: "submitted", [ews[2]!]: "opened", [ews[3]!]: "notified", [ews[4]!]: "notified", [app]: "moxiworks", [gone]: "revoked",
    });
    expect(countMembers(list)).toMatchObject({ members: 7, notified: 5, opened: 3, submitted: 2, verified: 1, overdue: 0, revoked: 1, appAccess: 1, outstanding: 5 });
    // After the due date everyone not done (nor MoxiWorks's own) is overdue.
    const late = new Date(Date.now() + 8 * 86_400_000);
    expect(countMembers(await incidentMembers(db, incident, late)).overdue).toBe(4);

    // The reminder goes to those who have not rotated nor submitted.
    expect(await remindRest(db, id, TECHOPS)).toEqual({ reminded: 3 });
    for (const o of [ews[2]!, ews[3]!, ews[4]!]) expect((await listOutbox(db, { onboardingId: o })).map((m) => m.template).sort()).toEqual(["incident_reminder", "incident_rotation"]);
    for (const o of [ews[0]!, ews[1]!, app]) expect((await listOutbox(db, { onboardingId: o })).some((m) => m.template === "incident_reminder")).toBe(false);
    // The scheduled reminder waits for its interval (24 h since the last one).
    expect(await remindDue(db, new Date(Date.now() + 3_600_000))).toBe(0);
    expect(await remindDue(db, new Date(Date.now() + 25 * 3_600_000))).toBe(3);

    await expect(closeIncident(db, { incidentId: id, note: "All rotated after the phishing." }, TECHOPS)).rejects.toEqual(new IncidentError("incident_not_closable"));
    await transition(db, ews[1]!, "verifying", SYSTEM);
    await transition(db, ews[1]!, "verified", SYSTEM);
    await exceptMember(db, { incidentId: id, onboardingId: ews[2]!, reason: "Brokerage confirmed the account was never exposed." }, TECHOPS);
    await changeState(db, ews[3]!, "revoked", TECHOPS, "no answer, credential destroyed");
    await expect(closeIncident(db, { incidentId: id, note: "All rotated after the phishing." }, TECHOPS)).rejects.toEqual(new IncidentError("incident_not_closable"));
    await rotate(db, ews[4]!);
    expect(await recordAppRotation(db, { incidentId: id, note: "keys:rotate run, new app secret issued" }, TECHOPS)).toBe(1);
    const csv = (await exportIncident(db, id, TECHOPS)).csv;
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(8);
    expect(csv).toContain("MoxiWorks rotated its app credential");
    await closeIncident(db, { incidentId: id, note: "All rotated after the phishing." }, TECHOPS);
    expect((await getIncident(db, id))?.closedAt).toBeTruthy();
    await expect(closeIncident(db, { incidentId: id, note: "again" }, TECHOPS)).rejects.toEqual(new IncidentError("incident_closed"));
    await expect(remindRest(db, id, TECHOPS)).rejects.toEqual(new IncidentError("incident_closed"));

    const audit = await db.selectFrom("events").select("type").where("details", "like", `%${id}%`).execute();
    expect(new Set(audit.map((e) => e.type))).toEqual(new Set(["incident_opened", "incident_batch_notified", "state_changed", "incident_reminder_sent", "incident_member_excepted", "incident_app_rotation_recorded", "incident_exported", "incident_closed"]));
  });

  it("the incidents job finishes an opening a crash interrupted", async () => {
    const { db } = handle();
    const tag = `job${Date.now()}`;
    const o = await verified(db, `Delta ${tag}`, `d@${tag}.test`);
    const { id } = await openIncident(db, input({ kind: "list", list: o }), TECHOPS);
    // Nobody called notifyPending (the process died right after opening): the job does.
    expect(await tick({ db, holder: "test", now: new Date() }, JOBS.filter((j) => j.name === "incidents"))).toEqual(["incidents"]);
    expect((await getOnboarding(db, o))?.state).toBe("rotation_requested");
    expect((await db.selectFrom("incident_members").select("status").where("incident_id", "=", id).executeTakeFirstOrThrow()).status).toBe("notified");
  });

  it("asks a brokerage on its own app registration for a new certificate, not a password: it stays verified, and rotates once a new certificate is in use", async () => {
    const { db } = handle();
    const tag = `own${Date.now()}`;
    const own = await verified(db, `Own App ${tag}`, `own@${tag}.test`, "graph_app");
    await chooseOwnApp(db, own);
    const first = await generateCertificate(db, own, BROKERAGE);
    await promoteCertificate(db, own, first.id, BROKERAGE);
    const moxi = await verified(db, `Moxi App ${tag}`, `moxi@${tag}.test`, "graph_app");

    const selected = await resolveSelection(db, { kind: "filter", q: tag });
    expect(selected.members).toEqual(expect.arrayContaining([{ onboardingId: own, method: "graph_own_app" }, { onboardingId: moxi, method: "graph_app" }]));
    const { id } = await openIncident(db, input({ kind: "filter", q: tag }), TECHOPS, { expectedCount: 2 });
    expect(await notifyPending(db, id)).toEqual({ batches: 1, notified: 1, appAccess: 1, notApplicable: 0 });

    expect((await getOnboarding(db, own))?.state).toBe("verified");
    const mails = await listOutbox(db, { onboardingId: own });
    expect(mails.map((m) => m.subject)).toEqual([`Own App ${tag}: security notice, please replace the MoxiEngage app certificate`]);
    expect(mails[0]!.body).toMatch(/generate a new certificate/);
    expect(mails[0]!.body).not.toMatch(/(new|the service account's) password/i); // (the sign-off warns about passwords in mail)
    const phase = async () => (await incidentMembers(db, (await getIncident(db, id))!)).find((m) => m.onboardingId === own)!.phase;
    expect(await phase()).toBe("notified");

    // Reminded with the certificate's words too.
    expect(await remindRest(db, id, TECHOPS)).toEqual({ reminded: 1 });
    expect((await listOutbox(db, { onboardingId: own })).map((m) => m.subject)).toContain(`Own App ${tag}: reminder, the MoxiEngage app certificate still needs replacing`);

    await new Promise((r) => setTimeout(r, 5)); // the renewal's events come after the notification's time
    const renewed = await generateCertificate(db, own, BROKERAGE);
    expect(await phase()).toBe("submitted");
    await promoteCertificate(db, own, renewed.id, BROKERAGE);
    expect(await phase()).toBe("rotated");
    // Every member is done (the app-access one is MoxiWorks's to rotate once recorded): the incident can close.
    await recordAppRotation(db, { incidentId: id, note: "New app certificate uploaded, keys:rotate run" }, TECHOPS);
    await closeIncident(db, { incidentId: id, note: "All rotated." }, TECHOPS);
    expect((await getIncident(db, id))?.closedAt).not.toBeNull();
  });
});

it("CSV fields are quoted and cannot start a spreadsheet formula", () => {
  expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvField("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
  expect(csvField(null)).toBe(`""`);
  expect(csvField(3)).toBe(`"3"`);
});
