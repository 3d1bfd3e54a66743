import { describe, expect, it } from "vitest";
import { APP_ACCESS_SCOPE_NAME } from "./content/app-access";
import { APP_ACCESS_SECTION_IDS, APP_ACCESS_TRACK, GUIDE_TRACKS, guideHref, OWN_APP_SECTION_IDS, OWN_APP_TRACK, stepAnchor } from "./ids";
import { fillPlaceholders, looksLikeGroupName } from "./placeholders";
import { PLATFORM_FACTS } from "./platform";
import { checklistItemLabel, guideFor, guideItems, isGuideTrack } from "./tracks";

const guide = guideFor(APP_ACCESS_TRACK);
const section = (id: string) => guide.sections.find((s) => s.id === id)!;
const anchors = guide.sections.flatMap((s) => [String(s.id), ...(s.steps ?? []).map((st) => `${s.id}-${st.n}`)]);
const APP = "5f6c3e2a-8d1b-4c7e-9a2f-0b3d4e5f6a7b";
const values = { serviceAccount: "", testMailbox: "agent@contoso.com", appId: APP, group: "MoxiEngage Agents", outOfScopeMailbox: "boss@contoso.com" };

describe("the Microsoft 365 app-access track", () => {
  it("is the first, recommended guide track and has the fixed anchors the diagnosis links to", () => {
    expect(GUIDE_TRACKS[0]).toBe("microsoft-365-app-access");
    expect(isGuideTrack("microsoft-365-app-access")).toBe(true);
    expect(isGuideTrack("microsoft-365")).toBe(true);
    for (const id of APP_ACCESS_SECTION_IDS) expect(anchors).toContain(id);
    expect(anchors).toContain(stepAnchor("scope-app-access", 4));
    expect(guideHref(APP_ACCESS_TRACK, "scope-app-access-4")).toBe("/guide/microsoft-365-app-access#scope-app-access-4");
    expect(anchors.filter((a, i) => anchors.indexOf(a) !== i)).toEqual([]);
  });

  it("the original 2021 track is still there", () => {
    expect(guideFor("microsoft-365").sections.map((s) => s.id)).toContain("grant-impersonation");
  });

  it("every step has checklist items, ids unique across every guide track", () => {
    for (const s of guide.sections) for (const st of s.steps ?? []) expect(st.checklist.length, `${s.id}-${st.n}`).toBeGreaterThan(0);
    // The own-app track shares the group and RBAC sections (same items: ticks carry over); the others share nothing.
    const others = new Set(GUIDE_TRACKS.filter((t) => t !== APP_ACCESS_TRACK && t !== OWN_APP_TRACK).flatMap((t) => guideItems(guideFor(t)).map((i) => i.id)));
    const mine = guideItems(guide).map((i) => i.id);
    expect(mine.filter((id, i) => others.has(id) || mine.indexOf(id) !== i)).toEqual([]);
    expect(guideItems(guide).every((i) => /^[a-z0-9-]{1,80}$/.test(i.id))).toBe(true);
    expect(checklistItemLabel("scope-app-access-4")).toBe("Limit the app to the group (RBAC for Applications): Assigned the three roles");
  });

  it("consent: who can grant it and what Microsoft's screen shows", () => {
    const text = JSON.stringify(section("grant-consent"));
    expect(text).toContain("Global Administrator");
    expect(text).toContain("Privileged Role Administrator");
    expect(text).toContain("Sign in and read user profile");
    expect(section("grant-consent").steps!.every((s) => s.expect)).toBe(true);
  });

  it("the group: Exchange admin center and PowerShell, filled in", () => {
    const s = section("create-agent-group");
    expect(s.steps![0]!.text).toContain("Exchange admin center");
    const code = s.steps![1]!.commands!.map((c) => fillPlaceholders(c.code, values)).join("\n");
    expect(code).toContain('New-DistributionGroup -Name "MoxiEngage Agents" -Type Security -Members "agent@contoso.com"');
  });

  it("the scope: service principal one-liner, management scope, three role assignments with the app id filled in", () => {
    const code = section("scope-app-access").steps!.flatMap((s) => s.commands ?? []).map((c) => fillPlaceholders(c.code, values)).join("\n");
    expect(code).toContain(`$sp = Get-MgServicePrincipal -Filter "appId eq '${APP}'"; New-ServicePrincipal -AppId $sp.AppId -ObjectId $sp.Id`);
    expect(code).toContain(`New-ManagementScope -Name "${APP_ACCESS_SCOPE_NAME}" -RecipientRestrictionFilter "MemberOfGroup -eq '$dn'"`);
    expect(code).toContain('(Get-DistributionGroup -Identity "MoxiEngage Agents").DistinguishedName');
    for (const role of ["Application Contacts.ReadWrite", "Application Calendars.ReadWrite", "Application Mail.Send"]) {
      expect(code).toContain(`-App $sp.Id -Role "${role}" -CustomResourceScope "${APP_ACCESS_SCOPE_NAME}"`);
    }
  });

  it("the check: Test-ServicePrincipalAuthorization for both mailboxes and a sourced delay", () => {
    const s = section("check-app-access");
    const code = s.steps!.flatMap((st) => st.commands ?? []).map((c) => fillPlaceholders(c.code, values)).join("\n");
    expect(code).toContain(`Test-ServicePrincipalAuthorization -Identity "${APP}" -Resource "agent@contoso.com"`);
    expect(code).toContain(`Test-ServicePrincipalAuthorization -Identity "${APP}" -Resource "boss@contoso.com"`);
    expect(s.notes?.[0]?.fact).toBe("rbacDelay");
    expect(PLATFORM_FACTS.rbacDelay.sources.length).toBeGreaterThan(0);
  });

  it("every note quotes a dated, sourced platform fact", () => {
    const notes = guide.sections.flatMap((s) => [...(s.notes ?? []), ...(s.steps ?? []).flatMap((st) => st.notes ?? [])]);
    expect(notes.length).toBeGreaterThan(4);
    for (const n of notes) {
      const fact = PLATFORM_FACTS[n.fact!];
      expect(fact.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(fact.sources.every((src) => src.url.startsWith("https://"))).toBe(true);
    }
  });

  it("says what a reseller tenant can and cannot do, and what to ask, on both tracks", () => {
    const s = section("reseller-app-access");
    expect(s.intro.join(" ")).toMatch(/cannot do two of its steps yourself/);
    expect(fillPlaceholders(s.steps![0]!.commands![0]!.code, values)).toContain(`app id ${APP}`);
    expect(guideFor("microsoft-365-reseller").sections.find((x) => x.id === "reseller")!.intro.join(" ")).toContain("/guide/microsoft-365-app-access#reseller-app-access");
  });

  it("internal links land on anchors of this track", () => {
    const targets = [...JSON.stringify(guide.sections).matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(2);
    expect(targets.filter((t) => !anchors.includes(t))).toEqual([]);
  });

  it("placeholders refuse hostile values: they stay as written", () => {
    for (const bad of ["x'; Remove-Mailbox", "a\nb", "", "$(evil)", "x".repeat(65)]) expect(looksLikeGroupName(bad)).toBe(false);
    expect(fillPlaceholders("{group} {app id} {out-of-reach mailbox}", { ...values, group: "x'; Remove-Mailbox -Identity *", appId: "not-a-guid", outOfScopeMailbox: "a b@c" })).toBe("{group} {app id} {out-of-reach mailbox}");
  });
});

describe("own app registration track", () => {
  const own = guideFor(OWN_APP_TRACK);
  const text = (id: string) => JSON.stringify(own.sections.find((s) => s.id === id));

  it("registers a single-tenant app without a redirect URI, uploads the certificate, grants no Graph permission, then the same RBAC steps", () => {
    const ids = own.sections.map((s) => s.id);
    for (const id of OWN_APP_SECTION_IDS) expect(ids).toContain(id);
    for (const shared of ["create-agent-group", "scope-app-access", "check-app-access"]) expect(ids).toContain(shared);
    expect(ids).not.toContain("grant-consent");
    expect(text("register-own-app")).toContain("Single tenant");
    expect(text("register-own-app")).toMatch(/Leave \*\*Redirect URI\*\* empty/);
    expect(text("upload-certificate")).toContain("Upload certificate");
    expect(text("upload-certificate")).toContain("Do not create a client secret");
    expect(text("no-graph-permissions")).toMatch(/no Application permission/);
    expect(text("scope-app-access")).toContain("{app id}");
    expect(text("scope-app-access")).not.toContain("#grant-consent");
    expect(text("troubleshoot-own-app")).toContain("AADSTS700016");
    expect(text("troubleshoot-own-app")).toContain("AADSTS700027");
    // The shared sections are the same items as on the MoxiWorks-app track; the own-app ones exist nowhere else.
    expect(guideItems(own).map((i) => i.id)).toContain("scope-app-access-4");
    const elsewhere = new Set(GUIDE_TRACKS.filter((t) => t !== OWN_APP_TRACK).flatMap((t) => guideItems(guideFor(t)).map((i) => i.id)));
    const ownOnly = own.sections.filter((s) => (OWN_APP_SECTION_IDS as readonly string[]).includes(s.id)).flatMap((s) => [...(s.checklist ?? []), ...(s.steps ?? []).flatMap((st) => st.checklist)]);
    expect(ownOnly.filter((i) => elsewhere.has(i.id))).toEqual([]);
    for (const s of own.sections) for (const st of s.steps ?? []) expect(st.checklist.length, `${s.id}-${st.n}`).toBeGreaterThan(0);
    for (const id of OWN_APP_SECTION_IDS) if (id !== "troubleshoot-own-app") expect(own.sections.find((s) => s.id === id)!.steps!.every((st) => st.expect), id).toBe(true);
  });
});
