import { describe, expect, it } from "vitest";
import { TRACKS } from "@/lib/guide/ids";
import { CAUSES } from "./causes";
import { diagnose } from "./diagnose";
import { guidanceFor, type GuidanceTrack } from "./guidance";
import { EXCHANGE_ONLINE_DATES } from "./platform-dates";

const ALL_TRACKS: GuidanceTrack[] = [...TRACKS, "unknown"];

describe("guidance exists for every cause on every track", () => {
  it.each(CAUSES.flatMap((cause) => ALL_TRACKS.map((track) => [cause, track] as const)))("%s on %s", (cause, track) => {
    const g = guidanceFor(cause, track);
    expect(g.title.length).toBeGreaterThan(10);
    expect(g.explanation.length).toBeGreaterThan(40);
    expect(g.actions.length).toBeGreaterThan(0);
    expect(["brokerage_admin", "email_vendor", "moxiworks"]).toContain(g.actor);
    expect(g.guideStep).toMatch(/^\/guide\/(microsoft-365|microsoft-365-reseller|exchange-server|hosted-exchange)#[a-z-]+$/);
    if (track !== "unknown") expect(g.guideStep.startsWith(`/guide/${track}#`)).toBe(true);
  });
});

describe("the text depends on where the mailboxes live", () => {
  it("basic auth blocked on Exchange Online: no authentication-policy fix, the dates, and what to do instead", () => {
    const g = guidanceFor("basic_auth_blocked", "microsoft-365");
    expect(g.guideStep).toBe("/guide/microsoft-365#allow-basic-auth");
    expect(g.explanation).toContain(EXCHANGE_ONLINE_DATES.basicAuthOff);
    expect(g.explanation).toContain("1 October 2022");
    expect(g.explanation).toMatch(/authentication policy can no longer/);
    expect(g.explanation).toContain("February 2025");
    expect(g.explanation).toContain("1 October 2026");
    expect(g.explanation).toContain("1 April 2027");
    expect(g.actor).toBe("moxiworks");
    expect(g.actions.join(" ")).toMatch(/app access \(OAuth\)/);
    expect(g.actions.join(" ")).toMatch(/Exchange Server/);
    expect(g.actions.join(" ")).not.toMatch(/Set-WebServicesVirtualDirectory/);
  });

  it("basic auth blocked on Exchange Server: the EWS virtual directory's authentication", () => {
    const g = guidanceFor("basic_auth_blocked", "exchange-server");
    expect(g.guideStep).toBe("/guide/exchange-server#allow-basic-auth");
    expect(g.actions.join(" ")).toContain("Set-WebServicesVirtualDirectory");
    expect(g.actions.join(" ")).toContain("-BasicAuthentication $true");
    expect(g.explanation).not.toContain("1 October 2022");
    expect(g.actor).toBe("brokerage_admin");
  });

  it("hosted Exchange: server-side changes are the provider's", () => {
    expect(guidanceFor("basic_auth_blocked", "hosted-exchange").actor).toBe("email_vendor");
    expect(guidanceFor("basic_auth_blocked", "hosted-exchange").guideStep).toBe("/guide/hosted-exchange#allow-basic-auth");
    expect(guidanceFor("tls_error", "hosted-exchange").actor).toBe("email_vendor");
    expect(guidanceFor("password_expired", "hosted-exchange").actor).toBe("brokerage_admin");
  });

  it("unknown track covers both cases", () => {
    const g = guidanceFor("basic_auth_blocked", "unknown");
    expect(g.explanation).toContain("1 October 2022");
    expect(g.actions.join(" ")).toContain("Set-WebServicesVirtualDirectory");
  });

  it("impersonation: the role is gone from Exchange Online, grantable on Exchange Server", () => {
    const online = guidanceFor("impersonation_denied", "microsoft-365-reseller");
    expect(online.explanation).toContain("February 2025");
    expect(online.actions.join(" ")).not.toContain("New-ManagementRoleAssignment");
    const server = guidanceFor("impersonation_denied", "exchange-server");
    expect(server.guideStep).toBe("/guide/exchange-server#grant-impersonation");
    expect(server.actions.join(" ")).toContain("New-ManagementRoleAssignment");
  });

  it("guide links per cause", () => {
    expect(guidanceFor("password_expired", "exchange-server").guideStep).toBe("/guide/exchange-server#password-never-expires");
    expect(guidanceFor("conditional_access", "microsoft-365").guideStep).toBe("/guide/microsoft-365#conditional-access");
    expect(guidanceFor("mfa_required", "microsoft-365").guideStep).toBe("/guide/microsoft-365#conditional-access");
    expect(guidanceFor("bad_credentials", "exchange-server").guideStep).toBe("/guide/exchange-server#create-service-account");
    expect(guidanceFor("no_such_user", "exchange-server").guideStep).toBe("/guide/exchange-server#create-service-account");
    expect(guidanceFor("autodiscover_failed", "hosted-exchange").guideStep).toBe("/guide/hosted-exchange#find-ews-url");
    expect(guidanceFor("unknown", "exchange-server").guideStep).toBe("/guide/exchange-server#troubleshoot-impersonation");
  });

  it("the track given to diagnose() shapes the findings", () => {
    const log = "X-AutoDiscovery-Error: LiveIdBasicAuth:BasicAuthBlocked";
    expect(diagnose(log, { track: "exchange-server" }).findings[0]!.guideStep).toBe("/guide/exchange-server#allow-basic-auth");
    expect(diagnose(log, { track: "exchange-server" }).findings[0]!.actions.join(" ")).toContain("Set-WebServicesVirtualDirectory");
    // With no track, the Exchange Online marker in the log decides.
    expect(diagnose(log).findings[0]!.guideStep).toBe("/guide/microsoft-365#allow-basic-auth");
    // With no track and no marker, links go to the Exchange Server guide and the text covers both.
    const plain = diagnose("<faultcode>a:ErrorImpersonateUserDenied</faultcode>");
    expect(plain.findings[0]!.guideStep).toBe("/guide/exchange-server#grant-impersonation");
    expect(plain.findings[0]!.explanation).toContain("February 2025");
  });
});
