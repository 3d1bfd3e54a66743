import { describe, expect, it } from "vitest";
import { guessTrackFromMx, guessTrackFromMxPaste, mxHostsFromPaste } from "./detect";
import { GUIDE_TRACKS, guideHref, SECTION_IDS, stepAnchor, TRACKS, type SectionId } from "./ids";
import { commandParts, fillPlaceholders, looksLikeEmail } from "./placeholders";
import { EXCHANGE_ONLINE_DATES, hasTakenEffect, PLATFORM_FACTS } from "./platform";
import { checklistItemLabel, factsQuoted, guideFor, guideItems, isTrack, SHARED_SECTION_IDS } from "./tracks";

/** Every anchor id a track page renders: sections, subsections and steps. */
function anchors(track: (typeof TRACKS)[number]): string[] {
  return guideFor(track).sections.flatMap((s) => [
    String(s.id),
    ...(s.subsections ?? []).map((sub) => sub.id),
    ...(s.steps ?? []).map((step) => stepAnchor(s.id as SectionId, step.n)),
  ]);
}

describe("guide wording", () => {
  it.each(GUIDE_TRACKS)("no doubled product words on %s (was \"the Exchange Server Exchange mailbox\")", (track) => {
    const text = JSON.stringify(guideFor(track));
    expect(text).not.toMatch(/Exchange (Server |)Exchange\b/i);
    expect(text).toContain(track === "exchange-server" ? "the Exchange Server mailbox" : "mailbox");
  });
});

describe("what Microsoft changed", () => {
  it.each(GUIDE_TRACKS)("the dated changes on %s are listed in date order (they were in catalogue order: 2022, 2025, 2026, 2027, 2024, 2019…)", (track) => {
    const dates = factsQuoted(guideFor(track)).map((id) => PLATFORM_FACTS[id].date);
    if (track.startsWith("microsoft-365")) expect(dates.length).toBeGreaterThan(1);
    expect(dates).toEqual([...dates].sort());
  });
});

describe("guide anchors", () => {
  it.each(TRACKS)("every section the diagnosis links to exists on %s", (track) => {
    const ids = guideFor(track).sections.map((s) => s.id);
    expect(SHARED_SECTION_IDS.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it.each(TRACKS)("anchors are unique on %s", (track) => {
    const all = anchors(track);
    expect(all.filter((a, i) => all.indexOf(a) !== i)).toEqual([]);
  });

  it("section ids are the permanent ones other modules link to", () => {
    for (const id of ["allow-basic-auth", "grant-impersonation", "password-never-expires", "conditional-access", "create-service-account", "find-ews-url", "troubleshoot-impersonation", "test-impersonation"]) {
      expect(SECTION_IDS).toContain(id);
    }
    expect(stepAnchor("grant-impersonation", 6)).toBe("grant-impersonation-6");
    expect(guideHref("microsoft-365", "grant-impersonation-6")).toBe("/guide/microsoft-365#grant-impersonation-6");
    expect(anchors("microsoft-365")).toContain("grant-impersonation-6");
    expect(anchors("microsoft-365")).toContain("allow-basic-auth-21");
    expect(anchors("exchange-server")).toContain("grant-impersonation-2");
  });

  it("the anchors of the Microsoft 365 track stay stable (a snapshot of the step counts)", () => {
    const counts = Object.fromEntries(guideFor("microsoft-365").sections.map((s) => [s.id, s.steps?.length ?? 0]));
    expect(counts).toMatchObject({
      "create-service-account": 8,
      "grant-impersonation": 9,
      "password-never-expires": 12,
      "test-impersonation": 12,
      "troubleshoot-impersonation": 4,
      "allow-basic-auth": 21,
      "conditional-access": 24,
    });
  });

  it("internal links point at sections that exist on the same track", () => {
    for (const track of TRACKS) {
      const ids = new Set(anchors(track));
      const texts = JSON.stringify(guideFor(track).sections);
      const targets = [...texts.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]);
      expect(targets.filter((t) => t && !ids.has(t)), track).toEqual([]);
    }
  });
});

describe("checklist items", () => {
  it("ids are unique within a track and valid for the workspace store", () => {
    for (const track of TRACKS) {
      const ids = guideItems(guideFor(track)).map((i) => i.id);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), track).toEqual([]);
      expect(ids.every((id) => /^[a-z0-9-]{1,80}$/.test(id)), track).toBe(true);
    }
  });

  it("every step has at least one item, and lettered sub-steps have their own", () => {
    const guide = guideFor("microsoft-365");
    for (const s of guide.sections) for (const step of s.steps ?? []) expect(step.checklist.length, `${s.id}-${step.n}`).toBeGreaterThan(0);
    const step4 = guide.sections.find((s) => s.id === "create-service-account")?.steps?.[3];
    expect(step4?.checklist.map((i) => i.id)).toEqual([
      "create-service-account-4a",
      "create-service-account-4b",
      "create-service-account-4c",
      "create-service-account-4d",
      "create-service-account-4e",
      "create-service-account-4f",
      "create-service-account-4",
    ]);
  });

  it("server tracks use their own ids so a track change does not carry over unrelated ticks", () => {
    const online = new Set(guideItems(guideFor("microsoft-365")).map((i) => i.id));
    const server = guideItems(guideFor("exchange-server")).map((i) => i.id);
    expect(server.filter((id) => online.has(id))).toEqual([]);
  });

  it("labels resolve for staff pages", () => {
    expect(checklistItemLabel("grant-impersonation-6")).toBe("Grant ApplicationImpersonation to the service account user: Selected ApplicationImpersonation");
    expect(checklistItemLabel("server-password-never-expires-2")).toContain("Set Password never expires");
    expect(checklistItemLabel("no-such-item")).toBeUndefined();
  });

  it("isTrack refuses unknown tracks", () => {
    expect(isTrack("exchange-server")).toBe(true);
    expect(isTrack("not-sure")).toBe(false);
    expect(isTrack("../etc")).toBe(false);
  });
});

describe("tracks tell the truth", () => {
  it("every affected Microsoft 365 step carries a dated platform note", () => {
    const guide = guideFor("microsoft-365");
    const stepNotes = (section: string, n: number) =>
      guide.sections.find((s) => s.id === section)?.steps?.find((s) => s.n === n)?.notes?.map((note) => note.fact) ?? [];
    expect(stepNotes("grant-impersonation", 6)).toContain("impersonationRemoved");
    expect(stepNotes("password-never-expires", 10)).toContain("azureAdRetired");
    expect(stepNotes("allow-basic-auth", 13)).toContain("basicAuthOff");
    expect(stepNotes("allow-basic-auth", 14)).toContain("basicAuthOff");
    expect(stepNotes("test-impersonation", 4)).toContain("basicAuthOff");
    expect(stepNotes("conditional-access", 5)).toContain("securityDefaults");
  });

  it("the Graph PowerShell replacement is given where the AzureAD command is", () => {
    const step = guideFor("microsoft-365").sections.find((s) => s.id === "password-never-expires")?.steps?.[9];
    const graph = step?.notes?.flatMap((n) => n.commands ?? []).map((c) => c.code);
    expect(graph).toEqual(["Update-MgUser -UserId {email address} -PasswordPolicies DisablePasswordExpiration"]);
  });

  it("the Exchange Server tracks give the shell commands", () => {
    const codes = JSON.stringify(guideFor("exchange-server").sections);
    expect(codes).toContain("New-ManagementRoleAssignment -Name MoxiEngageImpersonation -Role ApplicationImpersonation -User {service account}");
    expect(codes).toContain("Set-ADUser -PasswordNeverExpires $true");
    expect(codes).toContain("Set-WebServicesVirtualDirectory -BasicAuthentication $true");
    expect(codes).toContain("Get-WebServicesVirtualDirectory | fl InternalUrl,ExternalUrl");
    expect(codes).not.toContain("AzureAD");
    const hosted = JSON.stringify(guideFor("hosted-exchange").sections);
    expect(hosted).toContain("-CustomRecipientWriteScope");
  });

  it("the reseller track says what cannot be done and what to ask", () => {
    const reseller = guideFor("microsoft-365-reseller").sections.find((s) => s.id === "reseller");
    expect(reseller?.intro.join(" ")).toMatch(/cannot/);
    expect(reseller?.steps?.[1]?.commands?.[0]?.code).toMatch(/Global Administrator/);
  });

  it("platform facts carry dates and public sources, and feed the diagnosis dates", () => {
    for (const fact of Object.values(PLATFORM_FACTS)) {
      expect(fact.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(fact.sources.length).toBeGreaterThan(0);
      for (const s of fact.sources) expect(s.url).toMatch(/^https:\/\//);
    }
    expect(EXCHANGE_ONLINE_DATES).toEqual({
      basicAuthOff: "1 October 2022",
      applicationImpersonationRemoved: "February 2025",
      ewsBlockingStarts: "1 October 2026",
      ewsOff: "1 April 2027",
    });
    expect(hasTakenEffect("ewsOff", new Date("2027-03-31T23:59:59Z"))).toBe(false);
    expect(hasTakenEffect("ewsOff", new Date("2027-04-01T00:00:00Z"))).toBe(true);
  });
});

describe("placeholders", () => {
  const values = { serviceAccount: "svc-moxi@brokerage.example", testMailbox: "agent@brokerage.example" };

  it("fills the service account, its seed spelling, the test mailbox and the domain", () => {
    expect(fillPlaceholders("Set-User -Identity {email address} -X", values)).toBe("Set-User -Identity svc-moxi@brokerage.example -X");
    expect(fillPlaceholders("{service account} {test mailbox} *@{domain}", values)).toBe("svc-moxi@brokerage.example agent@brokerage.example *@brokerage.example");
  });

  it("leaves placeholders as written until a valid address is typed", () => {
    expect(fillPlaceholders("Get-User -Identity {service account}", { serviceAccount: "", testMailbox: "" })).toBe("Get-User -Identity {service account}");
    expect(fillPlaceholders("Get-User -Identity {service account}", { serviceAccount: "not an address", testMailbox: "" })).toBe("Get-User -Identity {service account}");
  });

  it("refuses values that would inject into a command", () => {
    for (const bad of ["a@b.com; Remove-Mailbox x", "a@b.com | x", "`whoami`@b.com", "x@y.com\nSet-User", '"a"@b.com', "{service account}@b.com"]) {
      expect(looksLikeEmail(bad), bad).toBe(false);
    }
    expect(looksLikeEmail(" svc@brokerage.example ")).toBe(true);
  });

  it("splits into parts so the page can mark what is filled", () => {
    expect(commandParts("a {test mailbox} b", values)).toEqual([
      { kind: "text", text: "a " },
      { kind: "placeholder", name: "{test mailbox}", value: "agent@brokerage.example" },
      { kind: "text", text: " b" },
    ]);
  });
});

describe("the MX helper's paste", () => {
  const nslookup = `Server:  dns.google\nAddress:  8.8.8.8\n\nNon-authoritative answer:\nbrokerage.com   MX preference = 0, mail exchanger = brokerage-com.mail.protection.outlook.com\n`;
  it("reads the MX hosts of nslookup, Resolve-DnsName and dig, not the DNS server's name", () => {
    expect(mxHostsFromPaste(nslookup)).toEqual({ kind: "hosts", hosts: ["brokerage-com.mail.protection.outlook.com"] });
    expect(mxHostsFromPaste("Name          Type TTL  Section NameExchange                              Preference\n----          ---- ---  ------- ------------                              ----------\nbrokerage.com MX   3600 Answer  brokerage-com.mail.protection.outlook.com 0")).toEqual({ kind: "hosts", hosts: ["brokerage-com.mail.protection.outlook.com"] });
    expect(mxHostsFromPaste("NameExchange : mx1.emailsrvr.com\nPreference   : 10")).toEqual({ kind: "hosts", hosts: ["mx1.emailsrvr.com"] });
    expect(mxHostsFromPaste("brokerage.com.\t\t3600\tIN\tMX\t10 mail.brokerage.com.")).toEqual({ kind: "hosts", hosts: ["mail.brokerage.com"] });
    expect(guessTrackFromMxPaste(nslookup).track).toBe("microsoft-365");
    expect(mxHostsFromPaste("yourdomain.com  mail exchanger = 0 yourdomain-com.mail.protection.outlook.com.")).toEqual({ kind: "hosts", hosts: ["yourdomain-com.mail.protection.outlook.com"] });
  });

  it("empty or junk input is not \"the domain has no MX records\" (it was, for both)", () => {
    for (const input of ["", "   \n ", "hello there", "192.168.1.1", "!!!", "mail exchanger ="]) {
      const guess = guessTrackFromMxPaste(input);
      expect(guess.track, input).toBeNull();
      expect(guess.reason, input).not.toMatch(/no MX records/);
    }
    expect(guessTrackFromMxPaste("").reason).toMatch(/Paste the output/);
    expect(guessTrackFromMxPaste("hello there").reason).toMatch(/does not look like MX lookup output/);
    // A lookup that answered without MX records says so.
    expect(guessTrackFromMxPaste("Server:  UnKnown\nAddress:  192.168.1.1\n\nbrokerage.com\n        primary name server = ns1.brokerage.com").reason).toMatch(/no MX records/);
  });
});

describe("guessTrackFromMx", () => {
  it("recognises Microsoft 365", () => {
    expect(guessTrackFromMx(["brokerage-com.mail.protection.outlook.com."]).track).toBe("microsoft-365");
    expect(guessTrackFromMx(["brokerage-com.o-v1.mx.microsoft"]).track).toBe("microsoft-365");
  });

  it("says Google and GoDaddy mail are not Exchange", () => {
    expect(guessTrackFromMx(["aspmx.l.google.com", "alt1.aspmx.l.google.com"])).toMatchObject({ track: null, confidence: "high" });
    expect(guessTrackFromMx(["smtp.secureserver.net", "mailstore1.secureserver.net"]).track).toBeNull();
  });

  it("does not guess behind a filtering service", () => {
    expect(guessTrackFromMx(["us-smtp-inbound-1.mimecast.com"])).toMatchObject({ track: null, confidence: "low" });
  });

  it("leans to hosted or own Exchange otherwise", () => {
    expect(guessTrackFromMx(["mx1.emailsrvr.com"]).track).toBe("hosted-exchange");
    expect(guessTrackFromMx(["mail.brokerage.example"])).toMatchObject({ track: "exchange-server", confidence: "low" });
  });

  it("handles empty and odd input", () => {
    expect(guessTrackFromMx([]).track).toBeNull();
    expect(guessTrackFromMx(["", "  "]).track).toBeNull();
    expect(guessTrackFromMx(["BROKERAGE-COM.MAIL.PROTECTION.OUTLOOK.COM"]).track).toBe("microsoft-365");
  });
});
