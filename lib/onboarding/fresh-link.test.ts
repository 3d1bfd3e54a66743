import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { openLink } from "@/lib/auth/links";
import { listOutbox } from "@/lib/mail/outbox";
import { createOnboarding, transition } from "./store";
import { FRESH_LINK_LABEL, requestFreshLink } from "./fresh-link";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-fresh-"));
const STAFF = { kind: "staff" as const, id: "s1", label: "Sam (MoxiWorks staff)" };
const APP = "https://onboarding.example";

describeEachDatabase("a fresh workspace link by email", (handle) => {
  it("mails a working link to the contact only, answers the same for an unknown address, and turns off the previous one", async () => {
    const { db } = handle();
    const email = `Ada.${Math.random().toString(36).slice(2, 8)}@Harbor.test`;
    const o = await createOnboarding(db, { brokerageName: "Harbor Realty", contactName: "Ada", contactEmail: email }, STAFF);
    const client = `client-${Math.random()}`;
    // Typed in another case, with spaces: still the contact.
    expect(await requestFreshLink(db, `  ${email.toUpperCase()} `, client, APP)).toEqual({ ok: true });
    expect(await requestFreshLink(db, `nobody-${Math.random()}@harbor.test`, client, APP)).toEqual({ ok: true });
    const [mail, ...rest] = await listOutbox(db, { onboardingId: o.id });
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ template: "fresh_link", to_address: email });
    const url = mail!.body.match(/https:\/\/onboarding\.example\/o\/(\S+)/)!;
    const opened = await openLink(db, url[1]!);
    expect(opened).toMatchObject({ ok: true, onboardingId: o.id, kind: "brokerage" });

    // A second request sends a new link and turns the first one off.
    await requestFreshLink(db, email, client, APP);
    const mails = await listOutbox(db, { onboardingId: o.id });
    expect(mails).toHaveLength(2);
    const second = mails.map((m) => m.body.match(/\/o\/(\S+)/)![1]!).find((t) => t !== url[1]);
    expect((await openLink(db, url[1]!)).ok).toBe(false);
    expect((await openLink(db, second!)).ok).toBe(true);
    const live = await db.selectFrom("access_tokens").select("id").where("onboarding_id", "=", o.id).where("label", "=", FRESH_LINK_LABEL).where("revoked_at", "is", null).execute();
    expect(live).toHaveLength(1);
  });

  it("is rate-limited per address (3 a day) and per client, the same for unknown addresses; revoked onboardings get nothing", async () => {
    const { db } = handle();
    const email = `bo.${Math.random().toString(36).slice(2, 8)}@harbor.test`;
    const o = await createOnboarding(db, { brokerageName: "Revoked Realty", contactName: "Bo", contactEmail: email }, STAFF);
    await transition(db, o.id, "revoked", STAFF, { reason: "duplicate" });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await requestFreshLink(db, email, `c-${Math.random()}`, APP)).ok);
    expect(outcomes).toEqual([true, true, true, false]);
    expect(await listOutbox(db, { onboardingId: o.id })).toEqual([]);
    const unknown = `ghost-${Math.random()}@harbor.test`;
    const unknownOutcomes = [];
    for (let i = 0; i < 4; i++) unknownOutcomes.push((await requestFreshLink(db, unknown, `c-${Math.random()}`, APP)).ok);
    expect(unknownOutcomes).toEqual(outcomes);
    const client = `flood-${Math.random()}`;
    const perClient = [];
    for (let i = 0; i < 11; i++) perClient.push((await requestFreshLink(db, `x${i}-${Math.random()}@harbor.test`, client, APP)).ok);
    expect(perClient.filter(Boolean)).toHaveLength(10);
    expect(perClient.at(-1)).toBe(false);
  });
});
