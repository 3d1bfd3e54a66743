import { describe, expect, it } from "vitest";
import { TRACKS } from "@/lib/guide/ids";
import { APP_ACCESS_GUIDE } from "./app-access-guide";
import { CAUSES } from "./causes";
import { diagnose } from "./diagnose";
import { guidanceFor, ruledOutSections, type GuidanceTrack } from "./guidance";
import { EXCHANGE_ONLINE_DATES } from "./platform-dates";

const ALL_TRACKS: GuidanceTrack[] = [...TRACKS, "unknown"];

describe("guidance exists for every cause on every track", () => {
  it.each(CAUSES.flatMap((cause) => ALL_TRACKS.map((track) => [cause, track] as const)))("%s on %s", (cause, track) => {
    const g = guidanceFor(cause, track);
    expect(g.title.length).toBeGreaterThan(10);
    expect(g.explanation.length).toBeGreaterThan(40);
    expect(g.actions.length).toBeGreaterThan(0);
    expect(["brokerage_admin", "email_vendor", "moxiworks"]).toContain(g.actor);
    expect(g.guideStep).toMatch(/^\/guide\/(microsoft-365|microsoft-365-reseller|exchange-server|hosted-exchange|microsoft-365-app-access)#[a-z-]+(-\d+)?$/);
    if (g.guideStep.startsWith(`/guide/${APP_ACCESS_GUIDE.track}#`)) {
      expect(APP_ACCESS_GUIDE.sections as readonly string[]).toContain(g.guideStep.split("#")[1]!.replace(/-\d+$/, ""));
    } else if (track !== "unknown") {
      expect(g.guideStep.startsWith(`/guide/${track}#`)).toBe(true);
    }
  });
});

describe("explanations are plain words", () => {
  it.each(CAUSES.flatMap((cause) => ALL_TRACKS.map((track) => [cause, track] as const)))("%s on %s: no raw SOAP, XML or JSON", (cause, track) => {
    const g = guidanceFor(cause, track);
    for (const text of [g.title, g.explanation]) {
      expect(text).not.toMatch(/<\/?[A-Za-z][\w:]*[\s>]|[{}]|"code"|faultcode|soap:|AADSTS\d|Error[A-Z][a-z]+[A-Z]/);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});

describe("a finding's link never points at a step the same finding says cannot help", () => {
  it.each(CAUSES.flatMap((cause) => ALL_TRACKS.flatMap((track) => (["exchange-server", "microsoft-365"] as const).map((fallback) => [cause, track, fallback] as const))))(
    "%s on %s (links for an unknown track: %s)",
    (cause, track, fallback) => {
      const anchor = guidanceFor(cause, track, fallback).guideStep.split("#")[1]!;
      for (const section of ruledOutSections(cause, track, fallback)) {
        expect(anchor === section || anchor.startsWith(`${section}-`), `${anchor} is ruled out`).toBe(false);
      }
    },
  );

  it("the steps Exchange Online made useless are declared as ruled out there", () => {
    expect(ruledOutSections("basic_auth_blocked", "microsoft-365")).toContain("allow-basic-auth");
    expect(ruledOutSections("impersonation_denied", "microsoft-365-reseller")).toContain("grant-impersonation");
    expect(guidanceFor("impersonation_denied", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#scope-app-access");
    // on a server both steps are the fix
    expect(ruledOutSections("basic_auth_blocked", "exchange-server")).toEqual([]);
    expect(guidanceFor("impersonation_denied", "exchange-server").guideStep).toBe("/guide/exchange-server#grant-impersonation");
  });
});

describe("the text depends on where the mailboxes live", () => {
  it("basic auth blocked on Exchange Online: no authentication-policy fix, the dates, and what to do instead", () => {
    const g = guidanceFor("basic_auth_blocked", "microsoft-365");
    // never the step the finding itself says cannot help
    expect(g.guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
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
    expect(diagnose(log).findings[0]!.guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
    // With no track and no marker, links go to the Exchange Server guide and the text covers both.
    const plain = diagnose("<faultcode>a:ErrorImpersonateUserDenied</faultcode>");
    expect(plain.findings[0]!.guideStep).toBe("/guide/exchange-server#grant-impersonation");
    expect(plain.findings[0]!.explanation).toContain("February 2025");
  });
});

describe("app-access causes", () => {
  it("link to the app-access guide's sections", () => {
    expect(guidanceFor("consent_required", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
    expect(guidanceFor("app_not_found", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
    expect(guidanceFor("app_access_denied", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#scope-app-access-4");
    expect(guidanceFor("app_scope_too_broad", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#troubleshoot-app-access-3");
    expect(guidanceFor("mailbox_not_enabled", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#troubleshoot-app-access-4");
    expect(guidanceFor("ews_blocked", "microsoft-365").guideStep).toBe("/guide/microsoft-365-app-access#grant-consent");
  });

  it("the app's own secret or certificate is MoxiWorks's to fix", () => {
    for (const cause of ["client_secret_invalid", "client_secret_expired", "certificate_invalid"] as const) {
      expect(guidanceFor(cause, "microsoft-365").actor).toBe("moxiworks");
    }
    expect(guidanceFor("consent_required", "microsoft-365").actor).toBe("brokerage_admin");
  });

  it("EWS blocked in Exchange Online carries Microsoft's dates; on a server track it says it is not the server's switch", () => {
    const online = guidanceFor("ews_blocked", "microsoft-365");
    expect(online.explanation).toContain("1 October 2026");
    expect(online.explanation).toContain("1 April 2027");
    const server = guidanceFor("ews_blocked", "exchange-server");
    expect(server.explanation).toMatch(/Exchange Server you run yourself does not have it/);
    expect(guidanceFor("ews_disabled", "exchange-server").explanation).not.toContain("1 April 2027");
  });

  it("on a server track an app-access cause says there is no app there", () => {
    expect(guidanceFor("consent_required", "exchange-server").actions.join(" ")).toMatch(/there is no app to fix/);
    expect(guidanceFor("consent_required", "microsoft-365").actions.join(" ")).not.toMatch(/there is no app to fix/);
  });
});
