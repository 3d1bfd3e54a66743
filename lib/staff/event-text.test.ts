import { describe, expect, it } from "vitest";
import { actorText, describeEvent, eventTypeLabel } from "./event-text";

const ev = (type: string, details: Record<string, unknown> = {}, extra: Partial<{ fromState: string; toState: string; reason: string }> = {}) => ({
  type,
  fromState: extra.fromState ?? null,
  toState: extra.toState ?? null,
  reason: extra.reason ?? "",
  details,
});

describe("events in words", () => {
  it("describes every known event type", () => {
    expect(describeEvent(ev("created", {}, { toState: "invited" }))).toEqual({ summary: "Onboarding created" });
    expect(describeEvent(ev("state_changed", {}, { fromState: "verified", toState: "revoked" })).summary).toBe("State changed from Verified to Revoked");
    expect(describeEvent(ev("track_chosen", { track: "exchange-server" })).summary).toBe("Mail system chosen: Exchange Server on premises");
    expect(describeEvent(ev("checklist", { itemId: "grant-impersonation-2", checked: true }), (id) => `Label of ${id}`).summary).toBe("Ticked “Label of grant-impersonation-2”");
    expect(describeEvent(ev("checklist", { itemId: "x", checked: false })).summary).toBe("Unticked “x”");
    expect(describeEvent(ev("link_created", { kind: "vendor", label: "GoDaddy", expiresAt: "2026-04-01T00:00:00.000Z" })).summary).toBe("Vendor link “GoDaddy” created, expires 2026-04-01");
    expect(describeEvent(ev("link_extended", { kind: "brokerage", expiresAt: "2026-05-01T00:00:00.000Z" })).summary).toBe("Brokerage link extended to 2026-05-01");
    expect(describeEvent(ev("link_revoked", { kind: "brokerage", label: "Brokerage admin" })).summary).toBe("Brokerage link “Brokerage admin” turned off");
    expect(describeEvent(ev("contact_note", { channel: "phone", note: "Called Bob" }))).toEqual({ summary: "Contact recorded: phone call", body: "Called Bob" });
    expect(describeEvent(ev("staff_note", { note: "Prefers email" }))).toEqual({ summary: "Staff note", body: "Prefers email" });
    expect(describeEvent(ev("test_run", { outcome: "failed", primaryCause: "basic_auth_blocked" })).summary).toBe("Connection test failed (likely cause: basic auth blocked)");
    expect(describeEvent(ev("verification_ended", { reason: "interrupted" }, { fromState: "verifying", toState: "submitted" })).summary).toBe("Verification interrupted: its process stopped; no verdict, back to Submitted");
    expect(describeEvent(ev("verification_ended", { reason: "cancelled" }, { fromState: "verifying", toState: "verified" })).summary).toBe("Verification cancelled; no verdict, back to Verified");
    expect(describeEvent(ev("test_run", { outcome: "interrupted" })).summary).toBe("Connection test interrupted");
  });

  it("describes credential and link events without showing anything secret", () => {
    expect(describeEvent(ev("links_revoked", { linkIds: ["a", "b"] })).summary).toBe("All links turned off (2)");
    expect(describeEvent(ev("credential_submitted", { serviceAccount: "svc-moxi@acme.test", credentialId: "c1" })).summary).toBe("Service account submitted: svc-moxi@acme.test");
    expect(describeEvent(ev("credentials_destroyed", { credentialIds: ["c1"] })).summary).toBe("Stored credentials destroyed (1)");
    expect(describeEvent(ev("credential_revealed", { serviceAccount: "svc" })).summary).toBe("Credential revealed for svc");
    expect(describeEvent(ev("credential_reveal_refused", { why: "bad_password" })).summary).toBe("Credential reveal refused: bad password");
    expect(describeEvent(ev("service_token_created", { name: "sync" })).summary).toBe("Service token “sync” created");
    expect(describeEvent(ev("credential_api_read", { credentialId: "c1" })).summary).toBe("Credential read by MoxiEngage");
  });

  it("survives odd details and unknown types", () => {
    expect(describeEvent(ev("track_chosen", { track: 42 })).summary).toBe("Mail system chosen: —");
    expect(describeEvent(ev("checklist", {})).summary).toBe("Unticked “an item”");
    expect(describeEvent(ev("state_changed", {}, { fromState: "weird", toState: "verified" })).summary).toBe("State changed from weird to Verified");
    expect(describeEvent(ev("mystery_event", { count: 2, ids: ["a"] }))).toEqual({ summary: "Mystery event", body: "count: 2" });
    expect(eventTypeLabel("key_rotated")).toBe("Encryption keys rotated");
    expect(eventTypeLabel("something_new")).toBe("Something new");
  });
});

describe("who did it", () => {
  it("names the actor's kind once (was \"Tess (MoxiWorks TechOps) (MoxiWorks TechOps)\")", () => {
    expect(actorText({ label: "Tess (MoxiWorks TechOps)", kind: "techops" })).toBe("Tess (MoxiWorks TechOps)");
    expect(actorText({ label: "Sam (MoxiWorks staff)", kind: "staff" })).toBe("Sam (MoxiWorks staff)");
    expect(actorText({ label: "ada@acme.test", kind: "brokerage" })).toBe("ada@acme.test (Brokerage)");
    expect(actorText({ label: "System", kind: "system" })).toBe("System");
    expect(actorText({ label: "", kind: "vendor" })).toBe("Email vendor");
    expect(actorText({ label: "x", kind: "robot" })).toBe("x (robot)");
  });
});
