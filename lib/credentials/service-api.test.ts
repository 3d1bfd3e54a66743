import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { consume } from "@/lib/auth/rate-limit";
import { listEvents, transition } from "@/lib/onboarding/store";
import { revealCredential } from "./reveal";
import { serviceCredentialRequest, type CredentialApiBody } from "./service-api";
import { authenticateServiceToken, createServiceToken, listServiceTokens, revokeServiceToken, ServiceTokenError } from "./service-tokens";
import { CredentialStoreError, markVerified, submitCredential } from "./store";
import { BROKERAGE, formData, memoryRing, occurrences, onboardingIn, SYSTEM } from "./testing/fixtures";

const ring = memoryRing();
const CLI = { kind: "system" as const, label: "test CLI" };

describeEachDatabase("service API and TechOps reveal", (handle) => {
  const db = () => handle().db;
  const client = () => `client-${randomBytes(4).toString("hex")}`;

  async function verifiedOnboarding() {
    const onboardingId = await onboardingIn(db(), "in_progress");
    const input = formData();
    const { credentialId } = await submitCredential(db(), { ...input, onboardingId, actor: BROKERAGE }, { ring });
    await transition(db(), onboardingId, "verifying", SYSTEM);
    await markVerified(db(), credentialId);
    await transition(db(), onboardingId, "verified", SYSTEM);
    return { onboardingId, credentialId, input };
  }

  const call = (authorization: string | null, onboardingId: string) =>
    serviceCredentialRequest(db(), { authorization, onboardingId, clientKey: client() }, { ring });

  it("returns a verified credential to a valid token, audits the read, and never audits the secret", async () => {
    const { onboardingId, credentialId, input } = await verifiedOnboarding();
    const { token, info } = await createServiceToken(db(), { name: "sync platform" }, CLI);
    expect(token).toMatch(/^mxs_[A-Za-z0-9_-]{43}$/);

    const res = await call(`Bearer ${token}`, onboardingId);
    expect(res.status).toBe(200);
    const body = res.body as CredentialApiBody;
    expect(body).toMatchObject({ onboardingId, credentialId, serviceAccount: input.serviceAccount, testMailbox: input.testMailbox, ewsUrl: input.ewsUrl, authScheme: "auto", track: "exchange-server" });
    expect(body.password === input.password).toBe(true);

    const reads = (await listEvents(db(), onboardingId)).filter((e) => e.type === "credential_api_read");
    expect(reads).toHaveLength(1);
    expect(reads[0]!.details).toMatchObject({ tokenId: info.id, status: 200, outcome: "returned", credentialId });
    const everything = JSON.stringify(await db().selectFrom("events").selectAll().execute()) + JSON.stringify(await db().selectFrom("service_tokens").selectAll().execute());
    expect(occurrences(everything, input.password)).toBe(0);
    expect(occurrences(everything, token)).toBe(0);
    expect((await listServiceTokens(db())).find((t) => t.id === info.id)?.lastUsedAt).not.toBeNull();
  });

  it.each([
    ["no Authorization header", null, 401, "token_missing", /^Bearer realm=/],
    ["an empty header", "   ", 401, "token_missing", /^Bearer realm=/],
    ["Basic auth instead of Bearer", "Basic c3ZjOnB3", 401, "token_invalid", /error="invalid_token"/],
    ["a wrong token", `Bearer mxs_${"A".repeat(43)}`, 401, "token_invalid", /error="invalid_token"/],
    ["a token without our prefix", `Bearer ${"B".repeat(43)}`, 401, "token_invalid", /error="invalid_token"/],
    ["garbage after Bearer", "Bearer not a token", 401, "token_invalid", /error="invalid_token"/],
  ])("refuses %s with %i %s", async (_name, header, status, code, challenge) => {
    const { onboardingId } = await verifiedOnboarding();
    const res = await call(header, onboardingId);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.headers["WWW-Authenticate"]).toMatch(challenge);
    // Audited against the onboarding, with no token id to name.
    const reads = (await listEvents(db(), onboardingId)).filter((e) => e.type === "credential_api_read");
    expect(reads.map((e) => [e.details.status, e.details.outcome])).toEqual([[status, code]]);
  });

  it("refuses a revoked token (401), audited with its token id", async () => {
    const { onboardingId } = await verifiedOnboarding();
    const { token, info } = await createServiceToken(db(), { name: "old" }, CLI);
    await revokeServiceToken(db(), info.id, CLI);
    await expect(revokeServiceToken(db(), info.id, CLI)).rejects.toBeInstanceOf(ServiceTokenError);
    const res = await call(`Bearer ${token}`, onboardingId);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: "token_invalid" } });
    const reads = (await listEvents(db(), onboardingId)).filter((e) => e.type === "credential_api_read");
    expect(reads[0]!.details).toMatchObject({ tokenId: info.id, reason: "revoked", status: 401 });
  });

  it("refuses a token of another scope (403 insufficient_scope)", async () => {
    const { onboardingId } = await verifiedOnboarding();
    const { token, info } = await createServiceToken(db(), { name: "reports" }, CLI);
    await db().updateTable("service_tokens").set({ scope: "reports:read" }).where("id", "=", info.id).execute();
    const res = await call(`bearer ${token}`, onboardingId);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: "token_scope" } });
    expect(res.headers["WWW-Authenticate"]).toMatch(/error="insufficient_scope", scope="credentials:read"/);
  });

  it.each(["in_progress", "submitted", "verifying", "needs_attention", "rotation_requested", "revoked"] as const)(
    "refuses an onboarding in %s (409 not_verified)",
    async (state) => {
      const onboardingId = await onboardingIn(db(), state);
      const { token } = await createServiceToken(db(), { name: "sync" }, CLI);
      const res = await call(`Bearer ${token}`, onboardingId);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: "not_verified" } });
    },
  );

  it("refuses a verified onboarding whose new credentials are still unverified (rotation), and unknown onboardings (404)", async () => {
    const { onboardingId } = await verifiedOnboarding();
    await submitCredential(db(), { ...formData(), onboardingId, actor: BROKERAGE }, { ring }); // verified → submitted
    const { token } = await createServiceToken(db(), { name: "sync" }, CLI);
    expect((await call(`Bearer ${token}`, onboardingId)).status).toBe(409);
    expect((await call(`Bearer ${token}`, "0000000000000000000000zzzz")).status).toBe(404);
    expect((await call(`Bearer ${token}`, "../../etc/passwd")).status).toBe(404);
  });

  it("rate-limits per token with 429 and Retry-After", async () => {
    const { onboardingId } = await verifiedOnboarding();
    const { token, info } = await createServiceToken(db(), { name: "busy" }, CLI);
    await consume(db(), "serviceApiPerToken", info.id, 120);
    const res = await call(`Bearer ${token}`, onboardingId);
    expect(res.status).toBe(429);
    expect(Number(res.headers["Retry-After"])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ error: { code: "rate_limited" } });
  });

  it("rate-limits per client before looking at the token", async () => {
    const { onboardingId } = await verifiedOnboarding();
    const key = client();
    await consume(db(), "serviceApiPerClient", key, 300);
    const res = await serviceCredentialRequest(db(), { authorization: null, onboardingId, clientKey: key }, { ring });
    expect(res.status).toBe(429);
  });

  it("service tokens: names and scopes are checked; authentication reports why it failed", async () => {
    await expect(createServiceToken(db(), { name: "  " }, CLI)).rejects.toMatchObject({ code: "invalid_name" });
    // The one free-text rule (issue 17 #9): line breaks of every kind, bidi overrides and invisible characters.
    for (const bad of ["sync\r\nplatform", "sync\u0085platform", "sync\u2028platform", "sync\u202emroftalp", "sync\u200bplatform", "x".repeat(101)]) {
      await expect(createServiceToken(db(), { name: bad }, CLI), JSON.stringify(bad)).rejects.toMatchObject({ code: "invalid_name" });
    }
    expect((await createServiceToken(db(), { name: "  sync <platform> 2  " }, CLI)).info.name).toBe("sync <platform> 2");
    await expect(createServiceToken(db(), { name: "x", scopes: ["admin"] }, CLI)).rejects.toMatchObject({ code: "invalid_scope" });
    expect(await authenticateServiceToken(db(), undefined)).toEqual({ ok: false, reason: "missing" });
    expect(await authenticateServiceToken(db(), "Token abc")).toEqual({ ok: false, reason: "malformed" });
  });

  it("TechOps reveal: audited with the reason before the password is returned; nothing secret in the event", async () => {
    const { onboardingId, credentialId, input } = await verifiedOnboarding();
    const techops = { kind: "techops" as const, id: "staff-9", label: "Tess (techops)" };
    const revealed = await revealCredential(db(), { onboardingId, actor: techops, reason: "Sync platform migration, ticket OPS-12" }, { ring });
    expect(revealed).toMatchObject({ credentialId, serviceAccount: input.serviceAccount });
    expect(revealed.password === input.password).toBe(true);
    const events = (await listEvents(db(), onboardingId)).filter((e) => e.type === "credential_revealed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: "Sync platform migration, ticket OPS-12", actor: { kind: "techops", id: "staff-9" }, details: { credentialId } });
    expect(occurrences(JSON.stringify(events), input.password)).toBe(0);

    const empty = await onboardingIn(db(), "in_progress");
    await expect(revealCredential(db(), { onboardingId: empty, actor: techops, reason: "x" }, { ring })).rejects.toBeInstanceOf(CredentialStoreError);
  });
});
