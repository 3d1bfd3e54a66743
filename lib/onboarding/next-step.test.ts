import { describe, expect, it } from "vitest";
import { TRACKS } from "@/lib/guide/ids";
import { afterFailureInMail, nextStep } from "./next-step";
import { NEXT_STEP } from "./lifecycle";

const NOW = new Date("2026-12-03T12:00:00Z");
const CANNOT_FIX = [{ actor: "moxiworks" as const, title: "Exchange Online refuses the service account's password sign-in" }];
const CAN_FIX = [{ actor: "brokerage_admin" as const, title: "The service account may not impersonate the test mailbox" }];

describe("truthful next steps (issue 18 item 4)", () => {
  it.each(["microsoft-365", "microsoft-365-reseller"] as const)("%s with a password service account: no 'work through the guide, then submit'; app access with Microsoft's dates", (track) => {
    const text = nextStep({ state: "in_progress", track, method: "ews_impersonation", appAccessAvailable: true, now: NOW });
    expect(text).not.toMatch(/work through the guide/i);
    expect(text).toContain("since 1 October 2022");
    expect(text).toContain("since February 2025");
    expect(text).toContain("since 1 October 2026");
    expect(text).toContain("from 1 April 2027");
    expect(text).toMatch(/app access/);
    expect(nextStep({ state: "invited", track, method: "ews_impersonation", appAccessAvailable: true, now: NOW })).toBe(text);
  });

  it("dates read 'from' before they take effect", () => {
    expect(nextStep({ state: "in_progress", track: "microsoft-365", method: "ews_impersonation", appAccessAvailable: true, now: new Date("2026-01-15T00:00:00Z") })).toContain("from 1 October 2026");
  });

  it("without app access on this server: who to contact, not a way that cannot work", () => {
    const text = nextStep({ state: "in_progress", track: "microsoft-365", method: "ews_impersonation", appAccessAvailable: false, now: NOW });
    expect(text).toMatch(/contact MoxiWorks onboarding at \S+@moxiworks\.com/);
    expect(text).not.toMatch(/then test and submit/);
  });

  it("a finding that says it cannot be fixed is never followed by 'follow the guidance, then submit again'", () => {
    for (const track of TRACKS) {
      for (const method of ["ews_impersonation", "graph_app"] as const) {
        const text = nextStep({ state: "needs_attention", track, method, appAccessAvailable: true, findings: CANNOT_FIX, now: NOW });
        expect(text, `${track}/${method}`).not.toMatch(/submit again/i);
        expect(text).toContain("cannot be fixed on your side");
        expect(text).toContain("MoxiWorks has been alerted");
        const mail = afterFailureInMail({ track, method, appAccessAvailable: true, findings: CANNOT_FIX, now: NOW });
        expect(mail, `${track}/${method}`).not.toMatch(/when it is fixed/i);
      }
    }
  });

  it("Exchange Server and fixable findings keep their plain next step", () => {
    expect(nextStep({ state: "in_progress", track: "exchange-server", method: "ews_impersonation", appAccessAvailable: true })).toBe(NEXT_STEP.in_progress);
    expect(nextStep({ state: "needs_attention", track: "exchange-server", method: "ews_impersonation", appAccessAvailable: true, findings: CAN_FIX })).toBe(NEXT_STEP.needs_attention);
    expect(afterFailureInMail({ track: "hosted-exchange", method: "ews_impersonation", appAccessAvailable: true, findings: CAN_FIX })).toBe("When it is fixed, submit the details again there.");
    // On Microsoft 365 with app access chosen, the guide is the app-access one: its steps can be followed.
    expect(nextStep({ state: "in_progress", track: "microsoft-365", method: "graph_app", appAccessAvailable: true })).toMatch(/admin consent/);
    // The brokerage's own app registration: no consent to MoxiWorks's app, a certificate to upload.
    const own = nextStep({ state: "in_progress", track: "microsoft-365", method: "graph_app", ownApp: true, appAccessAvailable: false });
    expect(own).toMatch(/upload the certificate/);
    expect(own).not.toMatch(/consent/);
    const online = afterFailureInMail({ track: "microsoft-365", method: "ews_impersonation", appAccessAvailable: true, findings: CAN_FIX, now: NOW });
    expect(online).not.toMatch(/when it is fixed/i);
    expect(online).toContain("since 1 October 2022");
  });

  it("with no mail host chosen yet, the next step is choosing it (not the guide nobody can open yet)", () => {
    for (const state of ["invited", "in_progress"] as const) {
      const text = nextStep({ state, track: null, method: "ews_impersonation", appAccessAvailable: true });
      expect(text).toMatch(/where your mailboxes are hosted/);
      expect(text).not.toMatch(/work through the guide/i);
    }
    expect(nextStep({ state: "submitted", track: null, method: "ews_impersonation", appAccessAvailable: true })).toBe(NEXT_STEP.submitted);
  });
});
