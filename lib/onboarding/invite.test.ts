import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { openLink } from "@/lib/auth/links";
import { listOutbox } from "@/lib/mail/outbox";
import { inviteBrokerage } from "./invite";
import { listEvents, listOnboardings } from "./store";

// Mail bodies are sealed with the key ring, which lives in DATA_DIR: give this file its own.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-mail-keys-"));

const staff = { kind: "staff" as const, id: "s1", label: "Sam Staff" };
const input = { brokerageName: "Invite Realty", contactName: "Ada", contactEmail: "ada@invite.test", track: null };

describeEachDatabase("inviting a brokerage", (handle) => {
  it("makes the onboarding, its brokerage link and the invite mail carrying that link", async () => {
    const { db } = handle();
    const { onboarding, link, inviteUrl } = await inviteBrokerage(db, input, staff, "https://onboarding.example");
    expect(onboarding).toMatchObject({ brokerageName: "Invite Realty", state: "invited" });
    expect(link.kind).toBe("brokerage");
    expect(inviteUrl).toMatch(/^https:\/\/onboarding\.example\/o\/[A-Za-z0-9_-]{40,}$/);
    const opened = await openLink(db, inviteUrl.split("/o/")[1]!);
    expect(opened).toMatchObject({ ok: true, onboardingId: onboarding.id, kind: "brokerage" });
    const mail = await listOutbox(db, { onboardingId: onboarding.id });
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ template: "invite", to_address: "ada@invite.test", status: "queued" });
    expect(mail[0]!.body).toContain(inviteUrl);
    expect((await listEvents(db, onboarding.id)).map((e) => e.type)).toEqual(expect.arrayContaining(["created", "link_created"]));
  });

  it("leaves nothing behind when a later step fails (one transaction)", async () => {
    const { db } = handle();
    const before = (await listOnboardings(db, {})).total;
    // The invite mail cannot be queued: the onboarding and link made before it must roll back with it.
    await db.schema.dropTable("outbox").execute();
    await expect(inviteBrokerage(db, { ...input, brokerageName: "Rolled Back Realty" }, staff, "https://onboarding.example")).rejects.toThrow();
    expect((await listOnboardings(db, {})).total).toBe(before);
    expect(await db.selectFrom("access_tokens").select("id").where("kind", "=", "brokerage").execute()).toHaveLength(1);
  });
});
