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

const HOST = String.raw`((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\.?)`;
/** The record formats of nslookup, Resolve-DnsName (list and table) and dig; a paste in any of them names only its MX hosts. */
const MX_LINES = [
  new RegExp(String.raw`mail exchanger\s*=\s*(?:\d+\s+)?${HOST}`, "gi"),
  new RegExp(String.raw`NameExchange\s*:\s*${HOST}`, "gi"),
  new RegExp(String.raw`\sMX\s+\d+\s+\w+\s+${HOST}\s+\d+`, "gi"),
  new RegExp(String.raw`\sIN\s+MX\s+\d+\s+${HOST}`, "gi"),
];
/** nslookup's own lines: when they are there and no "mail exchanger" is, the lookup answered without MX records. */
const LOOKUP_WITHOUT_MX = /non-authoritative answer|primary name server|can't find|no answer|DNS_ERROR|NXDOMAIN|status: NOERROR/i;

/**
 * What the MX helper reads from a paste: the lookup's MX hosts, an answer that had none, nothing pasted, or text
 * that is not a lookup at all (only then are bare host names taken, one per token).
 */
export function mxHostsFromPaste(text: string): { kind: "empty" } | { kind: "no_mx" } | { kind: "unreadable" } | { kind: "hosts"; hosts: string[] } {
  if (!text.trim()) return { kind: "empty" };
  const found = MX_LINES.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  if (found.length) return { kind: "hosts", hosts: [...new Set(found.map(normalise))] };
  if (LOOKUP_WITHOUT_MX.test(text)) return { kind: "no_mx" };
  const bare = [...text.matchAll(new RegExp(String.raw`(?:^|[\s,;])${HOST}(?=$|[\s,;])`, "gi"))].map((m) => normalise(m[1]!));
  return bare.length ? { kind: "hosts", hosts: [...new Set(bare)] } : { kind: "unreadable" };
}

/** The MX helper's answer to a paste: a guess from the hosts, or what to paste instead. */
export function guessTrackFromMxPaste(text: string): TrackGuess {
  const read = mxHostsFromPaste(text);
  switch (read.kind) {
    case "hosts":
      return guessTrackFromMx(read.hosts);
    case "no_mx":
      return guessTrackFromMx([]);
    case "empty":
      return { track: null, confidence: "low", reason: "Paste the output of the MX lookup first, then ask for a suggestion." };
    case "unreadable":
      return {
        track: null,
        confidence: "low",
        reason:
          "That does not look like MX lookup output: no mail server name was found in it. Paste the lines that say \"mail exchanger =\" (nslookup) or \"NameExchange\" (Resolve-DnsName).",
      };
  }
}
