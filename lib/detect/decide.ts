// The detector's decision, pure: facts from the public lookups → a host, a track and one plain sentence per
// piece of evidence. Weak signals never become certainty: a tenant alone says nothing about mailboxes, MX
// records can be fronted by a filter or by Exchange Online Protection for an on-premises server
// (m365-app-access.md §7), so only Autodiscover answers give "high".
import { mailHostKind } from "@/lib/guide/detect";
import type { Track } from "@/lib/guide/ids";
import type { DetectionFacts, LookupFailure } from "./facts";

/** Where the mail lives. `hybrid-*`: the domain is in Microsoft 365 and this mailbox is in the cloud or on premises. */
export const DETECTED_HOSTS = [
  "microsoft-365",
  "microsoft-365-reseller",
  "hybrid-cloud-mailbox",
  "hybrid-on-premises-mailbox",
  "exchange-server",
  "hosted-exchange",
  "google-workspace",
  "unknown",
] as const;
export type DetectedHost = (typeof DETECTED_HOSTS)[number];

export const DETECTED_HOST_LABELS: Record<DetectedHost, string> = {
  "microsoft-365": "Microsoft 365",
  "microsoft-365-reseller": "Microsoft 365 through GoDaddy",
  "hybrid-cloud-mailbox": "Microsoft 365 (hybrid; this mailbox in the cloud)",
  "hybrid-on-premises-mailbox": "Exchange Server (hybrid; this mailbox on premises)",
  "exchange-server": "Exchange Server",
  "hosted-exchange": "Hosted Exchange",
  "google-workspace": "Google Workspace",
  unknown: "We could not tell",
};

export type Confidence = "high" | "medium" | "low" | "none";

export type EvidenceSource = "mx" | "txt" | "tenant" | "realm" | "autodiscover-v2" | "autodiscover-dns" | "on-premises-autodiscover";
export type Evidence = { source: EvidenceSource; sentence: string };

export type Detection = {
  domain: string;
  host: DetectedHost;
  /** The guide track to follow, or null when we could not tell or the mail is not Exchange. */
  track: Track | null;
  /** Other tracks that apply to some mailboxes (hybrid tenants). */
  alsoTracks: Track[];
  confidence: Confidence;
  tenantId: string | null;
  ewsUrl: string | null;
  /** One sentence saying what we concluded, and how sure we are. */
  summary: string;
  evidence: Evidence[];
};

/** The one mapping from a detected host to guide tracks (the track to follow, then the others that apply). */
export function tracksForHost(host: DetectedHost): { track: Track | null; alsoTracks: Track[] } {
  switch (host) {
    case "microsoft-365":
      return { track: "microsoft-365", alsoTracks: [] };
    case "microsoft-365-reseller":
      return { track: "microsoft-365-reseller", alsoTracks: [] };
    case "hybrid-cloud-mailbox":
      return { track: "microsoft-365", alsoTracks: ["exchange-server"] };
    case "hybrid-on-premises-mailbox":
      return { track: "exchange-server", alsoTracks: ["microsoft-365"] };
    case "exchange-server":
      return { track: "exchange-server", alsoTracks: [] };
    case "hosted-exchange":
      return { track: "hosted-exchange", alsoTracks: [] };
    case "google-workspace":
    case "unknown":
      return { track: null, alsoTracks: [] };
  }
}

const EXCHANGE_ONLINE_HOSTS = /(^|\.)(outlook\.office365\.com|outlook\.office\.com|outlook\.com)$/i;

/** Whether an EWS URL is Exchange Online's (every cloud mailbox gets outlook.office365.com). */
export function isExchangeOnlineUrl(url: string): boolean {
  try {
    return EXCHANGE_ONLINE_HOSTS.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function failed(what: string, f: LookupFailure): string {
  const why =
    f.reason === "timeout" ? "did not answer in time" : f.reason === "refused" ? "was refused by our outbound-call guard" : f.reason === "bad_answer" ? "gave an answer we could not read" : "could not be reached";
  return `${what} ${why}${f.detail ? ` (${f.detail})` : ""}.`;
}

const list = (items: string[], max = 3) => (items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", "));

function evidenceOf(f: DetectionFacts): Evidence[] {
  const out: Evidence[] = [];
  const add = (source: EvidenceSource, sentence: string) => out.push({ source, sentence });
  const d = f.domain;

  switch (f.mx.kind) {
    case "hosts": {
      const kinds = f.mx.hosts.map(mailHostKind);
      const what = kinds.includes("microsoft-365")
        ? "Microsoft's Exchange Online Protection: mail is received by Microsoft 365 (which can also forward it to an on-premises server)"
        : kinds.includes("google")
          ? "Google: mail is received by Google Workspace"
          : kinds.includes("hosted-exchange")
            ? "a hosted-mail provider"
            : kinds.includes("godaddy-mail")
              ? "GoDaddy's own mail service, which is not Exchange"
              : kinds.every((k) => k === "filter")
                ? "a mail-filtering service, which hides where the mailboxes are"
                : "a server that is not Microsoft 365, Google or a known provider";
      add("mx", `The MX records of ${d} (${list(f.mx.hosts)}) point at ${what}.`);
      break;
    }
    case "none":
      add("mx", `${d} has no MX records, so no mail server receives mail for it.`);
      break;
    case "no_domain":
      add("mx", `DNS says the domain ${d} does not exist.`);
      break;
    case "failed":
      add("mx", failed(`The MX lookup for ${d}`, f.mx));
  }

  if (f.txt.kind === "records" && (f.txt.microsoftVerification || f.txt.spfMicrosoft || f.txt.spfGoogle)) {
    const parts = [
      f.txt.microsoftVerification ? "a Microsoft 365 domain-verification record (MS=…)" : "",
      f.txt.spfMicrosoft ? "an SPF record that lets Microsoft 365 send its mail" : "",
      f.txt.spfGoogle ? "an SPF record that lets Google send its mail" : "",
    ].filter(Boolean);
    add("txt", `${d} publishes ${parts.join(" and ")}.`);
  } else if (f.txt.kind === "failed") {
    add("txt", failed(`The TXT lookup for ${d}`, f.txt));
  }

  switch (f.tenant.kind) {
    case "tenant":
      add("tenant", `Microsoft has a Microsoft 365 (Entra) tenant for ${d}, tenant id ${f.tenant.tenantId}. That alone does not say where the mailboxes are.`);
      break;
    case "no_tenant":
      add("tenant", `Microsoft has no Microsoft 365 tenant for ${d}.`);
      break;
    case "failed":
      add("tenant", failed("Microsoft's OpenID configuration for the domain", f.tenant));
  }

  switch (f.realm.kind) {
    case "managed":
      add("realm", `Microsoft signs users of ${d} in itself (a managed domain${f.realm.brand ? `, organisation "${f.realm.brand}"` : ""}).`);
      break;
    case "federated":
      add(
        "realm",
        isGoDaddy(f)
          ? `Sign-in for ${d} is federated to GoDaddy (${f.realm.authHost ?? "GoDaddy"}): the tenant was bought through GoDaddy and is managed from GoDaddy's dashboard.`
          : `Sign-in for ${d} is federated to ${f.realm.authHost ?? "another identity provider"}${f.realm.brand ? ` ("${f.realm.brand}")` : ""}.`,
      );
      break;
    case "unknown":
      add("realm", `Microsoft does not know ${d} as a sign-in domain.`);
      break;
    case "failed":
      add("realm", failed("Microsoft's user-realm lookup", f.realm));
  }

  switch (f.cloudAutodiscover.kind) {
    case "exchange_online":
      add("autodiscover-v2", `Microsoft's Autodiscover places the mailbox ${f.email} in Exchange Online (${hostOf(f.cloudAutodiscover.ewsUrl)}).`);
      break;
    case "on_premises":
      add("autodiscover-v2", `Microsoft's Autodiscover sends ${f.email} to an on-premises Exchange server: ${f.cloudAutodiscover.ewsUrl}.`);
      break;
    case "not_found":
      add("autodiscover-v2", `Microsoft's Autodiscover does not know a mailbox ${f.email}.`);
      break;
    case "failed":
      add("autodiscover-v2", failed("Microsoft's Autodiscover", f.cloudAutodiscover));
  }

  if (f.autodiscoverCname.kind === "cname") {
    const kind = mailHostKind(f.autodiscoverCname.target);
    const what = kind === "microsoft-365" ? "Microsoft 365's Autodiscover" : kind === "hosted-exchange" ? "a hosted-Exchange provider" : "another host";
    add("autodiscover-dns", `autodiscover.${d} is an alias (CNAME) of ${f.autodiscoverCname.target}, ${what}.`);
  } else if (f.autodiscoverCname.kind === "failed" && f.autodiscoverCname.reason !== "unreachable") {
    add("autodiscover-dns", failed(`The alias lookup for autodiscover.${d}`, f.autodiscoverCname));
  }

  switch (f.onPremises.kind) {
    case "ews_url":
      add("on-premises-autodiscover", `The domain's own Autodiscover (${f.onPremises.via}) gives the EWS URL ${f.onPremises.ewsUrl}.`);
      break;
    case "none":
      add("on-premises-autodiscover", `No Exchange Autodiscover answered for ${d}${f.onPremises.tried.length ? ` (tried ${list(f.onPremises.tried)})` : ""}.`);
      break;
    case "refused":
      add("on-premises-autodiscover", `We did not contact ${f.onPremises.host}: ${f.onPremises.detail}`);
      break;
    case "failed":
      add("on-premises-autodiscover", failed("The domain's own Autodiscover", f.onPremises));
  }
  return out;
}

function isGoDaddy(f: DetectionFacts): boolean {
  return f.realm.kind === "federated" && (/(^|\.)godaddy\.com$/i.test(f.realm.authHost ?? "") || /godaddy/i.test(f.realm.brand ?? ""));
}

function mxKinds(f: DetectionFacts) {
  return f.mx.kind === "hosts" ? f.mx.hosts.map(mailHostKind) : [];
}

function hostedSignal(f: DetectionFacts, ewsUrl?: string): boolean {
  const names = [...(f.mx.kind === "hosts" ? f.mx.hosts : []), f.autodiscoverCname.kind === "cname" ? f.autodiscoverCname.target : "", f.onPremises.kind === "ews_url" ? f.onPremises.via : "", ewsUrl ? hostOf(ewsUrl) : ""];
  return names.some((n) => n && mailHostKind(n) === "hosted-exchange");
}

type Verdict = { host: DetectedHost; confidence: Confidence; ewsUrl: string | null; why: string };

function verdict(f: DetectionFacts): Verdict {
  const tenant = f.tenant.kind === "tenant";
  const mx = mxKinds(f);
  const onPremUrl = f.onPremises.kind === "ews_url" ? f.onPremises.ewsUrl : null;
  const cloud = f.cloudAutodiscover;

  if (cloud.kind === "exchange_online") {
    if (isGoDaddy(f)) return { host: "microsoft-365-reseller", confidence: "high", ewsUrl: null, why: "the mailbox is in Exchange Online and the tenant is run through GoDaddy" };
    if (onPremUrl) return { host: "hybrid-cloud-mailbox", confidence: "high", ewsUrl: null, why: "this mailbox is in Exchange Online, and the domain also has an on-premises Exchange server for other mailboxes" };
    return { host: "microsoft-365", confidence: "high", ewsUrl: null, why: "Microsoft's Autodiscover places this mailbox in Exchange Online" };
  }
  if (cloud.kind === "on_premises") {
    if (hostedSignal(f, cloud.ewsUrl)) return { host: "hosted-exchange", confidence: "high", ewsUrl: cloud.ewsUrl, why: "the mailbox is on an Exchange server run by a hosting provider" };
    if (tenant) return { host: "hybrid-on-premises-mailbox", confidence: "high", ewsUrl: cloud.ewsUrl, why: "the domain is in Microsoft 365, but this mailbox is on an on-premises Exchange server" };
    return { host: "exchange-server", confidence: "medium", ewsUrl: cloud.ewsUrl, why: "Microsoft's Autodiscover sends this mailbox to an Exchange server" };
  }
  if (onPremUrl) {
    if (hostedSignal(f)) return { host: "hosted-exchange", confidence: "high", ewsUrl: onPremUrl, why: "the domain's Autodiscover is run by a hosted-Exchange provider" };
    if (tenant) return { host: "exchange-server", confidence: "medium", ewsUrl: onPremUrl, why: "the domain's own Exchange server answers Autodiscover; it also has a Microsoft 365 tenant, which may hold some mailboxes" };
    return { host: "exchange-server", confidence: "high", ewsUrl: onPremUrl, why: "the domain's own Exchange server answers Autodiscover" };
  }
  if (mx.includes("google")) return { host: "google-workspace", confidence: f.txt.kind === "records" && f.txt.spfGoogle ? "high" : "medium", ewsUrl: null, why: "mail is received by Google, not Exchange" };
  if (tenant && mx.includes("microsoft-365")) {
    if (isGoDaddy(f)) return { host: "microsoft-365-reseller", confidence: "medium", ewsUrl: null, why: "mail is received by Microsoft 365 and the tenant is run through GoDaddy; Autodiscover did not confirm the mailbox" };
    return { host: "microsoft-365", confidence: "medium", ewsUrl: null, why: "mail is received by Microsoft 365 and the domain has a tenant; Autodiscover did not confirm the mailbox" };
  }
  if (tenant && (mx.length > 0 && mx.every((k) => k === "filter")) && f.autodiscoverCname.kind === "cname" && mailHostKind(f.autodiscoverCname.target) === "microsoft-365") {
    return { host: "microsoft-365", confidence: "medium", ewsUrl: null, why: "the domain has a tenant and its Autodiscover name points at Microsoft 365, behind a mail filter" };
  }
  if (!tenant && mx.includes("hosted-exchange")) return { host: "hosted-exchange", confidence: "low", ewsUrl: null, why: "mail is received by a known hosted-mail provider; ask them whether it is Exchange" };
  // A refused Autodiscover (a private address) makes the domain's records suspect: no guess from its MX then.
  if (f.tenant.kind === "no_tenant" && f.onPremises.kind === "none" && mx.length > 0 && mx.every((k) => k === "other")) {
    return { host: "exchange-server", confidence: "low", ewsUrl: null, why: "mail goes to a server of the domain's own and there is no Microsoft 365 tenant, but no Exchange Autodiscover answered" };
  }
  return { host: "unknown", confidence: "none", ewsUrl: null, why: "" };
}

export function decide(facts: DetectionFacts): Detection {
  const v = verdict(facts);
  const { track, alsoTracks } = tracksForHost(v.host);
  const summary =
    v.host === "unknown"
      ? facts.mx.kind === "no_domain" && facts.tenant.kind !== "tenant"
        ? `We could not tell: the domain ${facts.domain} does not exist.`
        : `We could not tell where the mail for ${facts.domain} is hosted from public records. Choose your mail system yourself, or ask whoever manages it.`
      : `${DETECTED_HOST_LABELS[v.host]} (${v.confidence} confidence): ${v.why}.`;
  return {
    domain: facts.domain,
    host: v.host,
    track,
    alsoTracks,
    confidence: v.confidence,
    tenantId: facts.tenant.kind === "tenant" ? facts.tenant.tenantId : null,
    ewsUrl: v.ewsUrl,
    summary,
    evidence: evidenceOf(facts),
  };
}
