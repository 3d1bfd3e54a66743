import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { revealCredential } from "@/lib/credentials/reveal";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, formData, memoryRing, occurrences, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { listEvents } from "@/lib/onboarding/store";
import { AccessError, answerAccess, effectiveStatus, listAccessForOnboarding, listAccessForStaff, REQUEST_TTL_MS, requestAccess, revealWithApproval, revokeAccess } from "./access";

const ring = memoryRing();
const SAM = { id: "staff-sam", name: "Sam Support", role: "staff" as const };
const TESS = { id: "staff-tess", name: "Tess TechOps", role: "techops" as const };
const REASON = "Ticket SUP-42: sync fails for two agents";

function brokerageOf(onboardingId: string) {
  return { onboardingId, kind: "brokerage" as const, label: "Ada Admin", actor: { ...BROKERAGE, id: `link-${onboardingId}` } };
}

const code = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => (e instanceof AccessError ? e.code : String(e)));

describeEachDatabase("support access with the brokerage's approval", (handle) => {
  const db = () => handle().db;
  const staff = (tag: string) => ({ ...SAM, id: `${SAM.id}-${tag}-${Math.random().toString(36).slice(2, 8)}` });

  async function withCredential() {
    const onboardingId = await onboardingIn(db(), "in_progress");
    const input = formData();
    await submitCredential(db(), { ...input, onboardingId, actor: BROKERAGE }, { ring });
    return { onboardingId, password: input.password };
  }

  it("request → mail without the secret → approve single-use → one reveal, the second refused; all audited and listed", async () => {
    const { onboardingId, password } = await withCredential();
    const sam = staff("single");
    const request = await requestAccess(db(), { onboardingId, staff: sam, reason: REASON, durationHours: 4 }, { ring });
    expect(request).toMatchObject({ status: "requested", durationHours: 4, reason: REASON, staffLabel: "Sam Support" });

    const mail = (await listOutbox(db(), { onboardingId, ring })).find((m) => m.template === "support_access_requested")!;
    expect(mail.to_address).toBe("ann@acme.test");
    expect(mail.body).toContain("Sam Support");
    expect(mail.body).toContain(REASON);
    expect(mail.body).toContain("4 hours");
    expect(occurrences(JSON.stringify(mail), password)).toBe(0);

    // not yet answered: refused
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: request.id, staff: sam, reason: REASON }, { ring }))).toBe("access_pending");

    const approved = await answerAccess(db(), { requestId: request.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "single-use" });
    expect(approved).toMatchObject({ status: "approved", mode: "single-use", decidedBy: "Ada Admin" });
    expect(Date.parse(approved.approvedUntil!) - Date.parse(approved.decidedAt!)).toBe(4 * 3600_000);

    const revealed = await revealWithApproval(db(), { onboardingId, requestId: request.id, staff: sam, reason: REASON }, { ring });
    expect(revealed.password === password).toBe(true);
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: request.id, staff: sam, reason: REASON }, { ring }))).toBe("access_used");

    const panel = await listAccessForOnboarding(db(), onboardingId);
    expect(panel.requests[0]).toMatchObject({ id: request.id, status: "used" });
    expect(panel.reveals).toHaveLength(1);
    expect(panel.reveals[0]).toMatchObject({ staffLabel: "Sam Support", role: "staff", reason: REASON, requestId: request.id });
    expect(occurrences(JSON.stringify(panel), password)).toBe(0);

    const events = await listEvents(db(), onboardingId);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["support_access_requested", "support_access_approved", "credential_revealed"]));
    expect(events.find((e) => e.type === "credential_revealed")).toMatchObject({ actor: { kind: "staff", id: sam.id }, details: { requestId: request.id, approval: "single-use" } });
    expect(occurrences(JSON.stringify(events), password)).toBe(0);
  });

  it("time-boxed: reveals allowed until the period ends, then expired; revocation stops it at once", async () => {
    const { onboardingId } = await withCredential();
    const sam = staff("boxed");
    const t0 = new Date();
    const r = await requestAccess(db(), { onboardingId, staff: sam, reason: REASON, durationHours: 1 }, { ring, now: t0 });
    await answerAccess(db(), { requestId: r.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "time-boxed" }, { now: t0 });
    await revealWithApproval(db(), { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring, now: t0 });
    await revealWithApproval(db(), { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring, now: new Date(t0.getTime() + 59 * 60_000) });
    const late = new Date(t0.getTime() + 60 * 60_000);
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring, now: late }))).toBe("access_expired");
    expect((await listAccessForStaff(db(), onboardingId, sam.id, { now: late }))[0]!.status).toBe("expired");
    expect((await listAccessForOnboarding(db(), onboardingId)).reveals).toHaveLength(2);

    const sam2 = staff("revoke");
    const r2 = await requestAccess(db(), { onboardingId, staff: sam2, reason: REASON, durationHours: 24 }, { ring });
    await answerAccess(db(), { requestId: r2.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "time-boxed" });
    await revokeAccess(db(), { requestId: r2.id, visitor: brokerageOf(onboardingId) });
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: r2.id, staff: sam2, reason: REASON }, { ring }))).toBe("access_revoked");
    expect((await listEvents(db(), onboardingId)).some((e) => e.type === "support_access_revoked")).toBe(true);
  });

  it("declined and unanswered-expired requests refuse the reveal; answering twice or too late is refused", async () => {
    const { onboardingId } = await withCredential();
    const sam = staff("decline");
    const r = await requestAccess(db(), { onboardingId, staff: sam, reason: REASON, durationHours: 8 }, { ring });
    await answerAccess(db(), { requestId: r.id, visitor: brokerageOf(onboardingId), decision: "decline" });
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring }))).toBe("access_declined");
    expect((await listEvents(db(), onboardingId)).find((e) => e.type === "credential_reveal_refused")).toMatchObject({
      actor: { kind: "staff", id: sam.id },
      details: { why: "access_declined", requestId: r.id },
    });
    expect(await code(answerAccess(db(), { requestId: r.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "single-use" }))).toBe("access_answered");

    const sam2 = staff("ttl");
    const t0 = new Date();
    const r2 = await requestAccess(db(), { onboardingId, staff: sam2, reason: REASON, durationHours: 1 }, { ring, now: t0 });
    const later = new Date(t0.getTime() + REQUEST_TTL_MS);
    expect(await code(answerAccess(db(), { requestId: r2.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "single-use" }, { now: later }))).toBe("access_expired");
    expect(await code(revealWithApproval(db(), { onboardingId, requestId: r2.id, staff: sam2, reason: REASON }, { ring, now: later }))).toBe("access_expired");
    // expired, so a new request may be made
    await requestAccess(db(), { onboardingId, staff: sam2, reason: REASON, durationHours: 1 }, { ring, now: later });
  });

  it("another brokerage cannot see or answer; vendors cannot answer; TechOps does not request; one open request at a time", async () => {
    const a = await withCredential();
    const b = await withCredential();
    const sam = staff("cross");
    const r = await requestAccess(db(), { onboardingId: a.onboardingId, staff: sam, reason: REASON, durationHours: 1 }, { ring });
    expect(await code(answerAccess(db(), { requestId: r.id, visitor: brokerageOf(b.onboardingId), decision: "approve", mode: "time-boxed" }))).toBe("access_unknown");
    expect(await code(revokeAccess(db(), { requestId: r.id, visitor: brokerageOf(b.onboardingId) }))).toBe("access_unknown");
    expect((await listAccessForOnboarding(db(), b.onboardingId)).requests).toHaveLength(0);
    const vendor = { ...brokerageOf(a.onboardingId), kind: "vendor" as const };
    expect(await code(answerAccess(db(), { requestId: r.id, visitor: vendor, decision: "approve", mode: "time-boxed" }))).toBe("access_brokerage_only");
    expect(await code(requestAccess(db(), { onboardingId: a.onboardingId, staff: sam, reason: REASON, durationHours: 1 }, { ring }))).toBe("access_open");
    expect(await code(requestAccess(db(), { onboardingId: a.onboardingId, staff: TESS, reason: REASON, durationHours: 1 }, { ring }))).toBe("access_techops");
    // another staff member cannot use Sam's approval
    await answerAccess(db(), { requestId: r.id, visitor: brokerageOf(a.onboardingId), decision: "approve", mode: "time-boxed" });
    expect(await code(revealWithApproval(db(), { onboardingId: a.onboardingId, requestId: r.id, staff: staff("other"), reason: REASON }, { ring }))).toBe("access_unknown");
    // nor on another onboarding
    expect(await code(revealWithApproval(db(), { onboardingId: b.onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring }))).toBe("access_unknown");
    // no credential, no request
    const empty = await onboardingIn(db(), "in_progress");
    expect(await code(requestAccess(db(), { onboardingId: empty, staff: sam, reason: REASON, durationHours: 1 }, { ring }))).toBe("no_credential");
    expect(await code(requestAccess(db(), { onboardingId: "0".repeat(26), staff: sam, reason: REASON, durationHours: 1 }, { ring }))).toBe("not_found");
    await expect(requestAccess(db(), { onboardingId: a.onboardingId, staff: staff("bad"), reason: REASON, durationHours: 25 }, { ring })).rejects.toBeInstanceOf(RangeError);
  });

  it("two single-use reveals at once: exactly one passes", async () => {
    const { onboardingId } = await withCredential();
    const sam = staff("race");
    const r = await requestAccess(db(), { onboardingId, staff: sam, reason: REASON, durationHours: 1 }, { ring });
    await answerAccess(db(), { requestId: r.id, visitor: brokerageOf(onboardingId), decision: "approve", mode: "single-use" });
    const other = handle().openAnother();
    try {
      const results = await Promise.all([
        code(revealWithApproval(db(), { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring })),
        code(revealWithApproval(other.db, { onboardingId, requestId: r.id, staff: sam, reason: REASON }, { ring })),
      ]);
      expect(results.filter((x) => x === "resolved")).toHaveLength(1);
      expect((await listAccessForOnboarding(db(), onboardingId)).reveals).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("TechOps break-glass reveals are listed for the brokerage too", async () => {
    const { onboardingId, password } = await withCredential();
    await revealCredential(db(), { onboardingId, actor: { kind: "techops", id: TESS.id, label: TESS.name }, reason: "Break glass, incident INC-7" }, { ring });
    const { reveals } = await listAccessForOnboarding(db(), onboardingId);
    expect(reveals).toEqual([expect.objectContaining({ staffLabel: TESS.name, role: "techops", reason: "Break glass, incident INC-7", requestId: null })]);
    expect(occurrences(JSON.stringify(reveals), password)).toBe(0);
  });
});

it("effective status: time turns requests and approvals into expired", () => {
  const now = "2026-01-01T12:00:00.000Z";
  expect(effectiveStatus({ status: "requested", request_expires_at: "2026-01-01T12:00:00.001Z", approved_until: null }, now)).toBe("requested");
  expect(effectiveStatus({ status: "requested", request_expires_at: now, approved_until: null }, now)).toBe("expired");
  expect(effectiveStatus({ status: "approved", request_expires_at: now, approved_until: "2026-01-01T11:59:59.999Z" }, now)).toBe("expired");
  expect(effectiveStatus({ status: "approved", request_expires_at: now, approved_until: null }, now)).toBe("expired");
  expect(effectiveStatus({ status: "declined", request_expires_at: "2000-01-01T00:00:00.000Z", approved_until: null }, now)).toBe("declined");
});
