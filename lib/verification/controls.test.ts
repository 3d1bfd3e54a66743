import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createLink, openLink, readLinkSession } from "@/lib/auth/links";
import { getCredentialPreview, openLatestCredentialForProbe, submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, formData, onboardingIn, STAFF } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { getOnboarding, listEvents } from "@/lib/onboarding/store";
import { changeState } from "./controls";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-controls-"));

describeEachDatabase("staff controls", (handle) => {
  it("revoking destroys every credential and turns off every link in one go", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const { password } = formData();
    await submitCredential(db, { ...formData({ password }), onboardingId: id, actor: BROKERAGE });
    const { token } = await createLink(db, { onboardingId: id, kind: "vendor" }, STAFF);
    const opened = await openLink(db, token);
    if (!opened.ok) throw new Error();
    await changeState(db, id, "revoked", STAFF, "brokerage left");
    expect((await getOnboarding(db, id))?.state).toBe("revoked");
    expect(await openLatestCredentialForProbe(db, id)).toBeUndefined();
    expect(await getCredentialPreview(db, id)).toBeUndefined();
    expect(await readLinkSession(db, opened.sessionToken)).toBeUndefined();
    expect(JSON.stringify(await db.selectFrom("credentials").selectAll().execute())).not.toContain(password);
    expect((await listEvents(db, id)).map((e) => e.type)).toEqual(expect.arrayContaining(["credentials_destroyed", "links_revoked"]));
  });

  it("an override to verified makes the newest credential the verified one", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "needs_attention");
    await submitCredential(db, { ...formData(), onboardingId: id, actor: BROKERAGE });
    // a submission moved it back to submitted; a failed verification brings it to needs_attention
    await db.updateTable("onboardings").set({ state: "needs_attention" }).where("id", "=", id).execute();
    await expect(changeState(db, id, "verified", STAFF, "")).rejects.toMatchObject({ code: "reason_required" });
    await changeState(db, id, "verified", STAFF, "tested by hand with the brokerage on the phone");
    expect((await getCredentialPreview(db, id))?.verifiedAt).toBeTruthy();
  });

  it("a rotation request mails the brokerage and keeps the current password usable", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    await submitCredential(db, { ...formData(), onboardingId: id, actor: BROKERAGE });
    await db.updateTable("onboardings").set({ state: "verified" }).where("id", "=", id).execute();
    await changeState(db, id, "rotation_requested", STAFF, "possible exposure in a phishing incident");
    const [mail] = await listOutbox(db, { onboardingId: id });
    expect(mail).toMatchObject({ template: "rotation_requested", to_address: "ann@acme.test" });
    expect(mail!.body).toContain("possible exposure in a phishing incident");
    expect(await openLatestCredentialForProbe(db, id)).toBeDefined();
  });
});
