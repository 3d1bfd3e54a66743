// "Not sure where your mail lives?" — a first guess from the domain's MX hosts (pure; the caller does
// the DNS lookup). MX records can say "Microsoft 365" with confidence; they cannot tell a reseller
// tenant (GoDaddy) from a direct one, and a filtering service in front of the mail hides the host.

import type { Track } from "./ids";

export interface TrackGuess {
  track: Track | null;
  confidence: "high" | "medium" | "low";
  reason: string;
}

const MICROSOFT_365 = [/\.mail\.protection\.outlook\.com$/, /\.protection\.outlook\.com$/, /\.mx\.microsoft$/, /(^|\.)outlook\.com$/];
const GOOGLE = [/(^|\.)google\.com$/, /(^|\.)googlemail\.com$/];
const FILTERS = [/mimecast\.com$/, /pphosted\.com$/, /ppe-hosted\.com$/, /barracudanetworks\.com$/, /messagelabs\.com$/, /mailcontrol\.com$/, /iphmx\.com$/, /sophos\.com$/, /trendmicro\.(com|eu)$/];
const HOSTED_EXCHANGE = [/(^|\.)emailsrvr\.com$/, /(^|\.)serverdata\.net$/];
const GODADDY_MAIL = [/(^|\.)secureserver\.net$/];

function normalise(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

const matches = (host: string, patterns: RegExp[]) => patterns.some((p) => p.test(host));

/** What a mail host name (an MX host, an Autodiscover CNAME or SRV target) says about who runs the mail. */
export type MailHostKind = "microsoft-365" | "google" | "godaddy-mail" | "hosted-exchange" | "filter" | "other";

export function mailHostKind(host: string): MailHostKind {
  const h = normalise(host);
  if (matches(h, MICROSOFT_365)) return "microsoft-365";
  if (matches(h, GOOGLE)) return "google";
  if (matches(h, GODADDY_MAIL)) return "godaddy-mail";
  if (matches(h, HOSTED_EXCHANGE)) return "hosted-exchange";
  if (matches(h, FILTERS)) return "filter";
  return "other";
}

export function guessTrackFromMx(mxHosts: string[]): TrackGuess {
  const hosts = mxHosts.map(normalise).filter((h) => h.length > 0);
  if (hosts.length === 0) {
    return { track: null, confidence: "low", reason: "The domain has no MX records, so mail for it is not received anywhere we can see." };
  }
  const kinds = hosts.map(mailHostKind);
  if (kinds.includes("microsoft-365")) {
    return {
      track: "microsoft-365",
      confidence: "high",
      reason:
        "The MX records point at Microsoft's Exchange Online Protection (…mail.protection.outlook.com or …mx.microsoft), so the mailboxes are in Microsoft 365. If you pay GoDaddy or another provider for Microsoft 365 and manage it from their dashboard, choose the reseller track instead.",
    };
  }
  if (kinds.includes("google")) {
    return {
      track: null,
      confidence: "high",
      reason: "The MX records point at Google, so this is Google Workspace, not Exchange. This guide does not apply; contact MoxiWorks onboarding.",
    };
  }
  if (kinds.includes("godaddy-mail")) {
    return {
      track: null,
      confidence: "medium",
      reason:
        "The MX records point at GoDaddy's own mail service (secureserver.net), which is not Exchange. If you also have Microsoft 365 from GoDaddy, the MX would point at outlook.com; ask GoDaddy which product you have.",
    };
  }
  if (kinds.includes("hosted-exchange")) {
    return {
      track: "hosted-exchange",
      confidence: "medium",
      reason: "The MX records point at a known hosted-mail provider. If that provider runs Exchange for you, follow the hosted Exchange track and ask them to make the server-side changes.",
    };
  }
  if (kinds.every((k) => k === "filter")) {
    return {
      track: null,
      confidence: "low",
      reason:
        "Mail passes through a filtering service first, so the MX records do not show where the mailboxes are. Look up the Autodiscover record instead: autodiscover.outlook.com means Microsoft 365; your own server's name means Exchange Server.",
    };
  }
  return {
    track: "exchange-server",
    confidence: "low",
    reason:
      "The MX records point at a server that is not Microsoft 365, Google or a known provider — often an Exchange Server your organisation runs. Confirm with whoever manages your mail server.",
  };
}
