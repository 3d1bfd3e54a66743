/**
 * The simulator's "where does the mail live" world, for the detector (lib/detect): a set of domains under
 * detect.sim.test, each with its DNS records (served by dns.ts) and what Microsoft's public endpoints say about
 * it — the OpenID configuration (tenant or AADSTS90002), getuserrealm.srf (Managed / Federated / Unknown) and
 * Autodiscover v2 (cloud mailbox, on-premises EWS URL, or a redirect to the domain's own Autodiscover) — plus
 * the on-premises `autodiscover.json` of the domains that run Exchange. Answers follow the real services' shapes.
 */
import type http from "node:http";
import { tenantIdForDomain, type EntraDirectory } from "./entra";
import { ENTRA_PREFIX } from "./m365";
import type { SimResponse } from "./responses";

export const DETECT_DOMAIN = "detect.sim.test";
const d = (label: string) => `${label}.${DETECT_DOMAIN}`;

export type SimRealm = { type: "Managed"; brand: string } | { type: "Federated"; brand: string; authUrl: string } | { type: "Unknown" };

export type DnsRecord =
  | { type: "A"; address: string }
  | { type: "MX"; exchange: string; priority: number }
  | { type: "TXT"; data: string[] }
  | { type: "CNAME"; target: string }
  | { type: "SRV"; target: string; port: number; priority: number; weight: number };

export type DiscoveryDomain = {
  domain: string;
  what: string;
  /** Whether the domain is verified in an Entra tenant (its id: entra.ts's tenantIdForDomain). */
  tenant?: true;
  realm: SimRealm;
  /** Where Microsoft's Autodiscover v2 puts a mailbox of this domain. */
  mailbox: (localPart: string) => "cloud" | "on-premises" | "unknown";
  /** The host (answering on the simulator's HTTPS port) that serves this domain's own autodiscover.json. */
  onPremisesHost?: string;
  /** Every endpoint accepts the request and never answers. */
  hung?: boolean;
  /** The DNS server does not answer queries for this domain at all. */
  dnsSilent?: boolean;
  records: (sim: { address: string; httpsPort: number }) => Record<string, DnsRecord[]>;
};

const EOP = (domain: string) => `${domain.replace(/\./g, "-")}.mail.protection.outlook.com`;
const SPF_M365 = ["v=spf1 include:spf.protection.outlook.com -all"];
const cloud = () => "cloud" as const;
const unknown = () => "unknown" as const;

export const DISCOVERY_DOMAINS: DiscoveryDomain[] = [
  {
    domain: d("m365"),
    what: "Microsoft 365 directly: MX to Exchange Online Protection, managed tenant, cloud mailboxes",
    tenant: true,
    realm: { type: "Managed", brand: "M365 Realty" },
    mailbox: cloud,
    records: () => ({
      [d("m365")]: [{ type: "MX", exchange: EOP(d("m365")), priority: 0 }, { type: "TXT", data: ["MS=ms41527361"] }, { type: "TXT", data: SPF_M365 }],
      [`autodiscover.${d("m365")}`]: [{ type: "CNAME", target: "autodiscover.outlook.com" }],
    }),
  },
  {
    domain: d("mimecast"),
    what: "Microsoft 365 behind Mimecast: MX to Mimecast, tenant, cloud mailboxes",
    tenant: true,
    realm: { type: "Managed", brand: "Filtered Homes" },
    mailbox: cloud,
    records: () => ({
      [d("mimecast")]: [
        { type: "MX", exchange: "us-smtp-inbound-1.mimecast.com", priority: 10 },
        { type: "MX", exchange: "us-smtp-inbound-2.mimecast.com", priority: 20 },
        { type: "TXT", data: ["v=spf1 include:_netblocks.mimecast.com include:spf.protection.outlook.com ~all"] },
      ],
    }),
  },
  {
    domain: d("proofpoint"),
    what: "Microsoft 365 behind Proofpoint: MX to pphosted.com, tenant, cloud mailboxes",
    tenant: true,
    realm: { type: "Managed", brand: "Proof Properties" },
    mailbox: cloud,
    records: () => ({
      [d("proofpoint")]: [
        { type: "MX", exchange: "mx0a-00123401.pphosted.com", priority: 10 },
        { type: "MX", exchange: "mx0b-00123401.pphosted.com", priority: 10 },
      ],
    }),
  },
  {
    domain: d("godaddy"),
    what: "Microsoft 365 bought through GoDaddy: sign-in federated to sso.godaddy.com",
    tenant: true,
    realm: { type: "Federated", brand: "GoDaddy Realty", authUrl: `https://sso.godaddy.com/?realm=pass&app=o365&domain=${d("godaddy")}` },
    mailbox: cloud,
    records: () => ({ [d("godaddy")]: [{ type: "MX", exchange: EOP(d("godaddy")), priority: 0 }, { type: "TXT", data: SPF_M365 }] }),
  },
  {
    domain: d("hybrid"),
    what: "hybrid: tenant and EOP MX; mailboxes whose local part starts with onprem stay on an Exchange server",
    tenant: true,
    realm: { type: "Managed", brand: "Hybrid Homes" },
    mailbox: (local) => (local.startsWith("onprem") ? "on-premises" : "cloud"),
    onPremisesHost: `mail.${d("hybrid")}`,
    records: ({ address, httpsPort }) => ({
      [d("hybrid")]: [{ type: "MX", exchange: EOP(d("hybrid")), priority: 0 }],
      [`mail.${d("hybrid")}`]: [{ type: "A", address }],
      [`_autodiscover._tcp.${d("hybrid")}`]: [{ type: "SRV", target: `mail.${d("hybrid")}`, port: httpsPort, priority: 0, weight: 0 }],
    }),
  },
  {
    domain: d("exchange"),
    what: "Exchange Server on premises: no tenant, MX to its own server, Autodiscover through an SRV record",
    realm: { type: "Unknown" },
    mailbox: unknown,
    onPremisesHost: `mail.${d("exchange")}`,
    records: ({ address, httpsPort }) => ({
      [d("exchange")]: [{ type: "MX", exchange: `mail.${d("exchange")}`, priority: 10 }],
      [`mail.${d("exchange")}`]: [{ type: "A", address }],
      [`_autodiscover._tcp.${d("exchange")}`]: [{ type: "SRV", target: `mail.${d("exchange")}`, port: httpsPort, priority: 0, weight: 0 }],
    }),
  },
  {
    domain: d("hosted"),
    what: "hosted Exchange (Rackspace-style): MX and Autodiscover at emailsrvr.com",
    realm: { type: "Unknown" },
    mailbox: unknown,
    onPremisesHost: "autodiscover.emailsrvr.com",
    records: ({ address, httpsPort }) => ({
      [d("hosted")]: [
        { type: "MX", exchange: "mx1.emailsrvr.com", priority: 10 },
        { type: "MX", exchange: "mx2.emailsrvr.com", priority: 20 },
      ],
      [`autodiscover.${d("hosted")}`]: [{ type: "CNAME", target: "autodiscover.emailsrvr.com" }],
      "autodiscover.emailsrvr.com": [{ type: "A", address }],
      [`_autodiscover._tcp.${d("hosted")}`]: [{ type: "SRV", target: "autodiscover.emailsrvr.com", port: httpsPort, priority: 0, weight: 0 }],
    }),
  },
  {
    domain: d("google"),
    what: "Google Workspace: MX to Google, no tenant",
    realm: { type: "Unknown" },
    mailbox: unknown,
    records: () => ({
      [d("google")]: [
        { type: "MX", exchange: "aspmx.l.google.com", priority: 1 },
        { type: "MX", exchange: "alt1.aspmx.l.google.com", priority: 5 },
        { type: "TXT", data: ["v=spf1 include:_spf.google.com ~all"] },
      ],
    }),
  },
  {
    domain: d("nomx"),
    what: "a domain with a web site and no MX records",
    realm: { type: "Unknown" },
    mailbox: unknown,
    records: ({ address }) => ({ [d("nomx")]: [{ type: "A", address: address === "127.0.0.1" ? "192.0.2.10" : address }] }),
  },
  { domain: d("missing"), what: "a domain that does not exist (NXDOMAIN)", realm: { type: "Unknown" }, mailbox: unknown, records: () => ({}) },
  { domain: d("silent-dns"), what: "the DNS server never answers for this domain", realm: { type: "Unknown" }, mailbox: unknown, dnsSilent: true, records: () => ({}) },
  { domain: d("hung-endpoints"), what: "Microsoft's endpoints accept the request for this domain and never answer", realm: { type: "Unknown" }, mailbox: unknown, hung: true, records: () => ({}) },
  {
    domain: d("hostile"),
    what: "hostile answers: 40 TXT records of 255 bytes (10 KB, past UDP's 512 bytes, so over TCP), autodiscover on a private address, SRV targets on loopback and in a CNAME loop",
    realm: { type: "Unknown" },
    mailbox: unknown,
    records: ({ httpsPort }) => ({
      [d("hostile")]: [
        { type: "MX", exchange: `mx.${d("hostile")}`, priority: 10 },
        ...Array.from({ length: 40 }, (_, i): DnsRecord => ({ type: "TXT", data: [`junk-${i}-`.padEnd(255, "x")] })),
      ],
      [`autodiscover.${d("hostile")}`]: [{ type: "A", address: "10.0.0.5" }],
      [`internal.${d("hostile")}`]: [{ type: "A", address: "127.0.0.1" }],
      [`loop.${d("hostile")}`]: [{ type: "CNAME", target: `loop.${d("hostile")}` }],
      [`_autodiscover._tcp.${d("hostile")}`]: [
        { type: "SRV", target: `internal.${d("hostile")}`, port: httpsPort, priority: 0, weight: 0 },
        { type: "SRV", target: `loop.${d("hostile")}`, port: httpsPort, priority: 1, weight: 0 },
      ],
    }),
  },
];

/** Host names the detector must be allowed to reach on the simulator (loopback, odd port); hostile ones are not listed. */
export const DISCOVERY_REACHABLE_HOSTS = [...new Set(DISCOVERY_DOMAINS.flatMap((x) => (x.onPremisesHost ? [x.onPremisesHost] : [])))];

/** Names the simulator's certificate must carry. */
export const DISCOVERY_CERT_NAMES = DISCOVERY_REACHABLE_HOSTS;

export function discoveryDomain(domain: string): DiscoveryDomain | undefined {
  const name = domain.toLowerCase().replace(/\.$/, "");
  return DISCOVERY_DOMAINS.find((x) => name === x.domain || name.endsWith(`.${x.domain}`));
}

export function tenantIdFor(domain: string): string | undefined {
  const entry = discoveryDomain(domain);
  return entry?.tenant ? tenantIdForDomain(entry.domain) : undefined;
}

/** Puts the detection domains in the simulated Entra directory: a tenant for those that have one, none for the rest. */
export function registerDiscoveryTenants(directory: EntraDirectory): void {
  for (const entry of DISCOVERY_DOMAINS) {
    if (entry.tenant) directory.registerTenant({ domain: entry.domain, displayName: entry.realm.type === "Unknown" ? undefined : entry.realm.brand });
    else directory.setTenantScenario(entry.domain, "tenant-not-found");
  }
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({ status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });

function userRealm(login: string): SimResponse {
  const domain = login.slice(login.lastIndexOf("@") + 1).toLowerCase();
  const realm = discoveryDomain(domain)?.realm ?? { type: "Unknown" as const };
  if (realm.type === "Managed") return json(200, { State: 4, UserState: 1, Login: login, NameSpaceType: "Managed", DomainName: domain, FederationBrandName: realm.brand, CloudInstanceName: "microsoftonline.com" });
  if (realm.type === "Federated") {
    return json(200, {
      State: 3,
      UserState: 2,
      Login: login,
      NameSpaceType: "Federated",
      DomainName: domain,
      FederationGlobalVersion: -1,
      AuthURL: `${realm.authUrl}&username=${encodeURIComponent(login)}&wa=wsignin1.0&wtrealm=urn%3afederation%3aMicrosoftOnline&wctx=`,
      FederationBrandName: realm.brand,
      CloudInstanceName: "microsoftonline.com",
      CloudInstanceIssuerUri: "urn:federation:MicrosoftOnline",
    });
  }
  return json(200, { State: 4, UserState: 1, Login: login, NameSpaceType: "Unknown" });
}

const EXO_EWS = "https://outlook.office365.com/EWS/Exchange.asmx";

/** Microsoft's Autodiscover v2 (the request came to the simulator by address, as the configured Microsoft host). */
function cloudAutodiscover(email: string, ewsUrl: string): SimResponse {
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1).toLowerCase();
  const entry = discoveryDomain(domain);
  const where = entry?.tenant ? entry.mailbox(email.slice(0, at).toLowerCase()) : "unknown";
  if (where === "cloud") return json(200, { Protocol: "EWS", Url: EXO_EWS });
  if (where === "on-premises") return json(200, { Protocol: "EWS", Url: ewsUrl });
  // Not an Exchange Online mailbox: Microsoft sends the client on to the domain's own Autodiscover.
  return {
    status: 302,
    headers: { Location: `https://autodiscover.${domain}/autodiscover/autodiscover.json?Email=${encodeURIComponent(email)}&Protocol=EWS&RedirectCount=1`, "Content-Length": "0" },
    body: "",
  };
}

/** An Exchange server's own autodiscover.json (the request named one of the on-premises hosts). */
function onPremisesAutodiscover(host: string, email: string, ewsUrl: string): SimResponse {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  const entry = discoveryDomain(domain);
  if (entry?.onPremisesHost === host) return json(200, { Protocol: "EWS", Url: ewsUrl });
  return json(404, { ErrorCode: "UserNotFound", ErrorMessage: `The user ${email} was not found.` });
}

export type DiscoveryAnswer = SimResponse | "hang";

/**
 * The answer for a discovery request, or undefined when the request is not one (the Exchange routes handle it).
 * The user realm is served at the authority host (`/entra/getuserrealm.srf`, or at the root).
 */
export function discoveryResponse(req: Pick<http.IncomingMessage, "method">, url: URL, hostName: string, sim: { ewsUrl: string }): DiscoveryAnswer | undefined {
  if (req.method !== "GET") return undefined;
  const path = url.pathname;
  const host = hostName.toLowerCase();
  if (new RegExp(`^(${ENTRA_PREFIX})?/getuserrealm\\.srf$`, "i").test(path)) {
    const login = url.searchParams.get("login") ?? "";
    if (discoveryDomain(login.slice(login.lastIndexOf("@") + 1))?.hung) return "hang";
    return userRealm(login);
  }
  const v2 = /^\/autodiscover\/autodiscover\.json\/v1\.0\/([^/]+)$/i.exec(path);
  if (v2) {
    const email = decodeURIComponent(v2[1]!);
    if (!email.includes("@")) return json(400, { ErrorCode: "InvalidRequest", ErrorMessage: "The email address is not valid." });
    if (discoveryDomain(email.slice(email.lastIndexOf("@") + 1))?.hung) return "hang";
    const onPremises = DISCOVERY_DOMAINS.some((x) => x.onPremisesHost === host);
    return onPremises ? onPremisesAutodiscover(host, email, sim.ewsUrl) : cloudAutodiscover(email, sim.ewsUrl);
  }
  return undefined;
}
