import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { generateKey, KeyRing } from "@/lib/crypto/keyring";
import { createStaff } from "@/lib/auth/staff";
import { sealedFor } from "@/lib/crypto/purposes";
import { open, seal, serializeSealedRecord } from "@/lib/crypto/envelope";
import { enqueueMail, listOutbox } from "@/lib/mail/outbox";
import { generateCertificate, openCertificate } from "@/lib/app-access/own-app";
import { checkAll, rewrapAll } from "./rotation";
import { destroyCredentials, openCredentialForProbe, submitCredential } from "./store";
import { BROKERAGE, formData, onboardingIn } from "./testing/fixtures";

describeEachDatabase("key rotation and checks", (handle) => {
  const db = () => handle().db;

  async function setUp(n: number, ring: KeyRing) {
    const onboardingId = await onboardingIn(db(), "in_progress");
    const submitted: { id: string; password: string }[] = [];
    for (let i = 0; i < n; i++) {
      const input = formData();
      const { credentialId } = await submitCredential(db(), { ...input, onboardingId, actor: BROKERAGE }, { ring });
      submitted.push({ id: credentialId, password: input.password });
    }
    return { onboardingId, submitted };
  }

  // Each test gets its own records; the shared tables also hold earlier tests' records, so counts are checked
  // on this test's rows.
  it("re-wraps every record to a new active key; records still open; a re-run changes nothing", async () => {
    const ring = new KeyRing([{ kid: "k1", key: generateKey() }], "k1");
    await db().deleteFrom("credentials").execute();
    const { onboardingId, submitted } = await setUp(3, ring);
    // One destroyed record: not touched, not counted.
    const gone = await setUp(1, ring);
    await destroyCredentials(db(), gone.onboardingId);

    ring.addKey({ kid: "k2", activate: true });
    const first = await rewrapAll(db(), ring);
    expect(first).toEqual({ total: 3, rewrapped: 3, alreadyCurrent: 0, vanished: 0, failed: [], activeKeyId: "k2" });
    const rows = await db().selectFrom("credentials").select(["key_id", "sealed"]).where("onboarding_id", "=", onboardingId).execute();
    expect(rows.every((r) => r.key_id === "k2" && JSON.parse(r.sealed!).kid === "k2")).toBe(true);

    expect(await rewrapAll(db(), ring)).toMatchObject({ total: 3, rewrapped: 0, alreadyCurrent: 3, failed: [] });
    const check = await checkAll(db(), ring);
    expect(check).toMatchObject({ total: 3, ok: 3, current: 3, byKid: { k2: 3 }, failed: [], unusedKeyIds: ["k1"] });

    ring.removeKey("k1");
    for (const s of submitted) expect((await openCredentialForProbe(db(), s.id, { ring })).password === s.password).toBe(true);
  });

  it("is resumable: an interrupted run leaves each record old or new, and the next run finishes the job", async () => {
    const ring = new KeyRing([{ kid: "r1", key: generateKey() }], "r1");
    await db().deleteFrom("credentials").execute();
    await setUp(4, ring);
    ring.addKey({ kid: "r2", activate: true });
    await expect(
      rewrapAll(db(), ring, (done) => {
        if (done === 2) throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    expect((await checkAll(db(), ring))).toMatchObject({ total: 4, ok: 4, current: 2, byKid: { r1: 2, r2: 2 } });
    expect(await rewrapAll(db(), ring)).toMatchObject({ total: 4, rewrapped: 2, alreadyCurrent: 2, failed: [] });
    expect((await checkAll(db(), ring))).toMatchObject({ ok: 4, current: 4, unusedKeyIds: ["r1"] });
  });

  it("reports records that do not open (unknown key, tampering) and keeps going", async () => {
    const ring = new KeyRing([{ kid: "c1", key: generateKey() }], "c1");
    await db().deleteFrom("credentials").execute();
    const { submitted } = await setUp(3, ring);
    // Tamper with one record's ciphertext, and move another to a key the ring does not have.
    const [a, b] = [submitted[0]!, submitted[1]!];
    const rowA = await db().selectFrom("credentials").select("sealed").where("id", "=", a.id).executeTakeFirstOrThrow();
    const recA = JSON.parse(rowA.sealed!);
    const ct = Buffer.from(recA.ct, "base64");
    ct[0] = ct[0]! ^ 1;
    await db().updateTable("credentials").set({ sealed: JSON.stringify({ ...recA, ct: ct.toString("base64") }) }).where("id", "=", a.id).execute();
    const rowB = await db().selectFrom("credentials").select("sealed").where("id", "=", b.id).executeTakeFirstOrThrow();
    await db().updateTable("credentials").set({ sealed: JSON.stringify({ ...JSON.parse(rowB.sealed!), kid: "gone-key" }), key_id: "gone-key" }).where("id", "=", b.id).execute();

    const check = await checkAll(db(), ring);
    expect(check.total).toBe(3);
    expect(check.ok).toBe(1);
    expect(check.failed.map((f) => [f.credentialId, f.code]).sort()).toEqual([[a.id, "tampered"], [b.id, "unknown_key"]].sort());
    expect(check.failed.find((f) => f.credentialId === b.id)?.kid).toBe("gone-key");

    ring.addKey({ kid: "c2", activate: true });
    const rotated = await rewrapAll(db(), ring);
    // The payload is not decrypted by a rewrap, so ciphertext tampering only shows in keys:check; the unknown key fails.
    expect(rotated).toMatchObject({ total: 3, rewrapped: 2 });
    expect(rotated.failed.map((f) => [f.credentialId, f.code])).toEqual([[b.id, "unknown_key"]]);
  });

  it("moves staff TOTP secrets (sealed with the same ring) to the new key too, so retiring the old key locks nobody out", async () => {
    const ring = new KeyRing([{ kid: "t1", key: generateKey() }], "t1");
    await db().deleteFrom("credentials").execute();
    await db().updateTable("staff_users").set({ totp_secret: null }).execute();
    const staff = await createStaff(db(), { email: `totp-${Date.now()}@moxiworks.test`, role: "techops" });
    const secret = "JBSWY3DPEHPK3PXP";
    await db().updateTable("staff_users").set({ totp_secret: serializeSealedRecord(seal(secret, sealedFor.staffTotp(staff.id), ring)) }).where("id", "=", staff.id).execute();
    ring.addKey({ kid: "t2", activate: true });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 0, unusedKeyIds: [] });
    expect(await rewrapAll(db(), ring)).toMatchObject({ total: 1, rewrapped: 1, failed: [] });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 1, unusedKeyIds: ["t1"] });
    ring.removeKey("t1");
    const row = await db().selectFrom("staff_users").select("totp_secret").where("id", "=", staff.id).executeTakeFirstOrThrow();
    expect(open(row.totp_secret!, sealedFor.staffTotp(staff.id), ring).toString("utf8")).toBe(secret);
  });

  it("moves sealed outbox bodies to the new key too, so a queued invite still opens once the old key is retired", async () => {
    const ring = new KeyRing([{ kid: "m1", key: generateKey() }], "m1");
    await db().deleteFrom("credentials").execute();
    await db().updateTable("staff_users").set({ totp_secret: null }).execute();
    await db().deleteFrom("outbox").execute();
    const id = await enqueueMail(db(), { to: "ada@acme.test", template: "invite", message: { subject: "Hi", text: "Open https://x.test/o/abcdefghijklmnopqrstuvwxyz0123456789" } }, ring);
    ring.addKey({ kid: "m2", activate: true });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 0, unusedKeyIds: [] });
    expect(await rewrapAll(db(), ring)).toMatchObject({ total: 1, rewrapped: 1, failed: [] });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 1, unusedKeyIds: ["m1"] });
    ring.removeKey("m1");
    const [mail] = await listOutbox(db(), { ring });
    expect(mail).toMatchObject({ id, body: "Open https://x.test/o/abcdefghijklmnopqrstuvwxyz0123456789" });
  });

  it("moves the sealed private keys of own-app certificates to the new key too, and keys:check opens them", async () => {
    const ring = new KeyRing([{ kid: "c1", key: generateKey() }], "c1");
    await db().deleteFrom("credentials").execute();
    await db().updateTable("staff_users").set({ totp_secret: null }).execute();
    await db().deleteFrom("outbox").execute();
    const onboardingId = await onboardingIn(db(), "in_progress");
    await generateCertificate(db(), onboardingId, BROKERAGE, { ring });
    const before = (await openCertificate(db(), onboardingId, "newest", ring))!.privateKeyPem;
    ring.addKey({ kid: "c2", activate: true });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 0, unusedKeyIds: [] });
    expect(await rewrapAll(db(), ring)).toMatchObject({ total: 1, rewrapped: 1, failed: [] });
    expect(await checkAll(db(), ring)).toMatchObject({ total: 1, ok: 1, current: 1, unusedKeyIds: ["c1"] });
    ring.removeKey("c1");
    expect((await openCertificate(db(), onboardingId, "newest", ring))!.privateKeyPem).toBe(before);
    // A key record moved to another certificate's row does not open (it is bound to its own ids).
    const other = await onboardingIn(db(), "in_progress");
    await generateCertificate(db(), other, BROKERAGE, { ring });
    const [a, b] = await db().selectFrom("app_certificates").select(["id", "sealed_key"]).where("onboarding_id", "in", [onboardingId, other]).orderBy("onboarding_id").execute();
    await db().updateTable("app_certificates").set({ sealed_key: a!.sealed_key }).where("id", "=", b!.id).execute();
    const check = await checkAll(db(), ring);
    expect(check.failed.map((f) => [f.credentialId, f.code])).toEqual([[b!.id, "tampered"]]);
  });
});
