import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { CredentialDecryptError } from "@/lib/crypto/envelope";
import { getOnboarding, listEvents, transition, TransitionError } from "@/lib/onboarding/store";
import type { OnboardingState } from "@/lib/onboarding/lifecycle";
import {
  CredentialStoreError,
  destroyCredentials,
  getCredentialPreview,
  markVerified,
  openCredentialForProbe,
  openLatestCredentialForProbe,
  submitCredential,
} from "./store";
import { BROKERAGE, formData, memoryRing, occurrences, onboardingIn, sqliteBytes, SYSTEM } from "./testing/fixtures";

const ring = memoryRing();

describeEachDatabase("credential store", (handle) => {
  const db = () => handle().db;

  it("round trip: seals, previews without the secret, opens for the probe", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const input = formData();
    const { credentialId, state } = await submitCredential(db(), { ...input, onboardingId: id, actor: BROKERAGE }, { ring });
    expect(state).toBe("submitted");

    const preview = await getCredentialPreview(db(), id);
    expect(preview).toMatchObject({
      credentialId,
      serviceAccount: input.serviceAccount,
      testMailbox: input.testMailbox,
      ewsUrl: input.ewsUrl,
      track: "exchange-server",
      verifiedAt: null,
      olderPending: 0,
    });
    expect(occurrences(JSON.stringify(preview), input.password)).toBe(0);

    const opened = await openCredentialForProbe(db(), credentialId, { ring });
    expect(opened.password === input.password).toBe(true);
    expect(opened).toMatchObject({ serviceAccount: input.serviceAccount, testMailbox: input.testMailbox, ewsUrl: input.ewsUrl });
    expect((await openLatestCredentialForProbe(db(), id, { ring }))?.credentialId).toBe(credentialId);

    const events = await listEvents(db(), id);
    const submitted = events.find((e) => e.type === "credential_submitted")!;
    expect(submitted).toMatchObject({ fromState: "in_progress", toState: "submitted", actor: { kind: "brokerage" } });
    expect(submitted.details).toMatchObject({ credentialId, serviceAccount: input.serviceAccount, supersedes: [] });
    expect(occurrences(JSON.stringify(events), input.password)).toBe(0);
  });

  it("Autodiscover (no EWS URL) round-trips as undefined / null", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const { credentialId } = await submitCredential(db(), { ...formData({ ewsUrl: undefined }), onboardingId: id, actor: BROKERAGE }, { ring });
    expect((await getCredentialPreview(db(), id))?.ewsUrl).toBeNull();
    expect((await openCredentialForProbe(db(), credentialId, { ring })).ewsUrl).toBeUndefined();
  });

  it.each<[OnboardingState, OnboardingState[]]>([
    ["invited", ["in_progress", "submitted"]],
    ["in_progress", ["submitted"]],
    ["needs_attention", ["submitted"]],
    ["rotation_requested", ["submitted"]],
    ["verified", ["rotation_requested", "submitted"]],
    ["submitted", []],
  ])("a submission from %s moves through %j to submitted", async (from, path) => {
    const id = await onboardingIn(db(), from);
    const before = (await listEvents(db(), id)).length;
    await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    expect((await getOnboarding(db(), id))?.state).toBe("submitted");
    const added = (await listEvents(db(), id)).slice(before);
    // Sorted: events written in the same millisecond have no stable order (ids are time + random).
    expect(added.map((e) => e.toState).filter(Boolean).sort()).toEqual([...path].sort());
    expect(added.filter((e) => e.type === "credential_submitted")).toHaveLength(1);
  });

  it.each<[OnboardingState, unknown]>([
    ["verifying", CredentialStoreError],
    ["revoked", TransitionError],
  ])("a submission in %s is refused and writes nothing", async (state, errorClass) => {
    const id = await onboardingIn(db(), state);
    const before = await listEvents(db(), id);
    await expect(submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring })).rejects.toBeInstanceOf(errorClass);
    expect(await listEvents(db(), id)).toEqual(before);
    expect(await db().selectFrom("credentials").select("id").where("onboarding_id", "=", id).execute()).toEqual([]);
  });

  it("a newer submission supersedes: both stay sealed until the newer is verified, then the older is destroyed", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const first = formData();
    const second = formData({ serviceAccount: "svc2@contoso.com" });
    const a = await submitCredential(db(), { ...first, onboardingId: id, actor: BROKERAGE }, { ring });
    await transition(db(), id, "verifying", SYSTEM);
    await transition(db(), id, "needs_attention", SYSTEM);
    const b = await submitCredential(db(), { ...second, onboardingId: id, actor: BROKERAGE }, { ring });

    expect((await getCredentialPreview(db(), id))).toMatchObject({ credentialId: b.credentialId, serviceAccount: "svc2@contoso.com", olderPending: 1 });
    expect((await openCredentialForProbe(db(), a.credentialId, { ring })).password === first.password).toBe(true);
    expect((await openCredentialForProbe(db(), b.credentialId, { ring })).password === second.password).toBe(true);
    const submitted = (await listEvents(db(), id)).filter((e) => e.type === "credential_submitted");
    expect(submitted.at(-1)?.details.supersedes).toEqual([a.credentialId]);

    // A third, newer one arrives while b is being verified: it must survive b's verification.
    await transition(db(), id, "verifying", SYSTEM);
    expect(await markVerified(db(), b.credentialId)).toEqual({ destroyed: 1 });
    const rows = await db().selectFrom("credentials").selectAll().where("onboarding_id", "=", id).orderBy("id").execute();
    expect(rows.map((r) => [r.id, r.sealed === null, r.destroyed_at !== null, r.verified_at !== null])).toEqual([
      [a.credentialId, true, true, false],
      [b.credentialId, false, false, true],
    ]);
    await expect(openCredentialForProbe(db(), a.credentialId, { ring })).rejects.toMatchObject({ code: "no_credential" });
    expect((await getCredentialPreview(db(), id))).toMatchObject({ credentialId: b.credentialId, olderPending: 0 });
    expect((await getCredentialPreview(db(), id))?.verifiedAt).not.toBeNull();
    const destroyed = (await listEvents(db(), id)).find((e) => e.type === "credentials_destroyed");
    expect(destroyed?.details).toEqual({ credentialIds: [a.credentialId], verifiedCredentialId: b.credentialId });
  });

  it("verifying an older credential keeps the newer ones", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const a = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    const b = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring }); // still "submitted"
    expect(await markVerified(db(), a.credentialId)).toEqual({ destroyed: 0 });
    await openCredentialForProbe(db(), b.credentialId, { ring });
  });

  it("markVerified works inside the caller's transaction and rolls back with it", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const a = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    const b = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    await expect(
      db().transaction().execute(async (trx) => {
        await markVerified(trx, b.credentialId);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await openCredentialForProbe(db(), a.credentialId, { ring });
    await expect(markVerified(db(), "0000000000nosuchcredential")).rejects.toBeInstanceOf(CredentialStoreError);
  });

  it("destroyCredentials wipes every sealed record of the onboarding (and no other)", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const other = await onboardingIn(db(), "in_progress");
    await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    const kept = await submitCredential(db(), { ...formData(), onboardingId: other, actor: BROKERAGE }, { ring });
    expect(await destroyCredentials(db(), id)).toEqual({ destroyed: 2 });
    expect(await destroyCredentials(db(), id)).toEqual({ destroyed: 0 });
    expect(await getCredentialPreview(db(), id)).toBeUndefined();
    expect(await openLatestCredentialForProbe(db(), id, { ring })).toBeUndefined();
    const live = await db().selectFrom("credentials").select("id").where("onboarding_id", "=", id).where("sealed", "is not", null).execute();
    expect(live).toEqual([]);
    await openCredentialForProbe(db(), kept.credentialId, { ring });
  });

  it("a row edited in the database (EWS URL redirected, or sealed record moved) refuses to open", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const a = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    const b = await submitCredential(db(), { ...formData(), onboardingId: id, actor: BROKERAGE }, { ring });
    await db().updateTable("credentials").set({ ews_url: "https://evil.example/EWS/Exchange.asmx" }).where("id", "=", a.credentialId).execute();
    await expect(openCredentialForProbe(db(), a.credentialId, { ring })).rejects.toMatchObject({ name: "CredentialDecryptError", code: "tampered" });

    const sealedB = await db().selectFrom("credentials").select("sealed").where("id", "=", b.credentialId).executeTakeFirstOrThrow();
    const other = await onboardingIn(db(), "in_progress");
    const c = await submitCredential(db(), { ...formData(), onboardingId: other, actor: BROKERAGE }, { ring });
    await db().updateTable("credentials").set({ sealed: sealedB.sealed }).where("id", "=", c.credentialId).execute();
    const error = await openCredentialForProbe(db(), c.credentialId, { ring }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialDecryptError);
    expect((error as CredentialDecryptError).code).toBe("tampered");
  });

  it("keeps the sign-in method with the credential; a row whose method was edited in the database refuses to open", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const a = await submitCredential(db(), { ...formData({ serviceAccount: "CONTOSO\\svc-moxi", authScheme: "ntlm" }), onboardingId: id, actor: BROKERAGE }, { ring });
    expect(await openCredentialForProbe(db(), a.credentialId, { ring })).toMatchObject({ serviceAccount: "CONTOSO\\svc-moxi", authScheme: "ntlm" });
    await db().updateTable("credentials").set({ auth_scheme: "basic" }).where("id", "=", a.credentialId).execute();
    await expect(openCredentialForProbe(db(), a.credentialId, { ring })).rejects.toMatchObject({ name: "CredentialDecryptError", code: "tampered" });
    const b = await submitCredential(db(), { ...formData(), authScheme: undefined, onboardingId: id, actor: BROKERAGE }, { ring });
    expect((await openCredentialForProbe(db(), b.credentialId, { ring })).authScheme, "left out: automatic").toBe("auto");
  });

  it("the plaintext password appears nowhere in the stored data", async () => {
    const id = await onboardingIn(db(), "in_progress");
    const passwords = [formData(), formData(), formData()];
    for (const input of passwords) await submitCredential(db(), { ...input, onboardingId: id, actor: BROKERAGE }, { ring });
    await markVerified(db(), (await getCredentialPreview(db(), id))!.credentialId);

    let haystack: Buffer;
    if (handle().dialect === "sqlite") {
      await sql`pragma wal_checkpoint(PASSIVE)`.execute(db());
      haystack = sqliteBytes(handle().description);
    } else {
      const tables = ["onboardings", "events", "credentials", "access_tokens", "link_sessions", "service_tokens", "test_runs", "outbox"] as const;
      const dumps: string[] = [];
      for (const t of tables) dumps.push(JSON.stringify(await db().selectFrom(t).selectAll().execute()));
      haystack = Buffer.from(dumps.join("\n"), "utf8");
    }
    expect(haystack.length).toBeGreaterThan(1000);
    for (const input of passwords) expect(occurrences(haystack, input.password)).toBe(0);
    // The search itself works: the clear service account is there.
    expect(occurrences(haystack, "svc-moxiengage@contoso.com")).toBeGreaterThan(0);
  });
});

describe("occurrences()", () => {
  it("finds the plain, UTF-16, base64, URL-encoded and JSON-escaped forms", () => {
    const pw = 'p@ss "wörd"';
    for (const form of [pw, Buffer.from(pw, "utf8").toString("base64"), encodeURIComponent(pw), JSON.stringify(pw)]) {
      expect(occurrences(`xx${form}yy`, pw)).toBeGreaterThan(0);
    }
    expect(occurrences(Buffer.from(`a${pw}b`, "utf16le"), pw)).toBe(1);
    expect(occurrences("nothing here", pw)).toBe(0);
  });
});
