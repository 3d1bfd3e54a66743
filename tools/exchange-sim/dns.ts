/**
 * A real DNS server (dns2, UDP and TCP on one port) answering for the detection domains in discovery.ts, so
 * the detector's tests and e2e go through Node's own resolver. It chases CNAMEs inside its zone like a
 * recursive resolver (giving up on loops), answers NXDOMAIN for names it does not know, and never answers
 * for a `dnsSilent` domain. Large answers are truncated over UDP (the TC bit) and served whole over TCP.
 */
import dns2 from "dns2";
import type { AddressInfo } from "node:net";
import { DISCOVERY_DOMAINS, discoveryDomain, type DnsRecord } from "./discovery";

const { Packet } = dns2;
// RFC 1035 response codes (dns2's Packet.RCODE is not in its type declarations).
const SERVFAIL = 2;
const NXDOMAIN = 3;

export type SimDns = {
  host: string;
  port: number;
  /** "host:port", for DNS_SERVERS / --dns-server. */
  server: string;
  /** Every question received: "name TYPE". */
  queries: string[];
  close(): Promise<void>;
};

const TYPE_NAMES: Record<number, DnsRecord["type"] | "AAAA" | "SOA" | "NS"> = {
  [Packet.TYPE.A]: "A",
  [Packet.TYPE.AAAA]: "AAAA",
  [Packet.TYPE.MX]: "MX",
  [Packet.TYPE.TXT]: "TXT",
  [Packet.TYPE.CNAME]: "CNAME",
  [Packet.TYPE.SRV]: "SRV",
  [Packet.TYPE.SOA]: "SOA",
  [Packet.TYPE.NS]: "NS",
};

function resource(name: string, r: DnsRecord) {
  const base = { name, class: Packet.CLASS.IN, ttl: 300 };
  switch (r.type) {
    case "A":
      return { ...base, type: Packet.TYPE.A, address: r.address };
    case "MX":
      return { ...base, type: Packet.TYPE.MX, exchange: r.exchange, priority: r.priority };
    case "TXT":
      return { ...base, type: Packet.TYPE.TXT, data: r.data };
    case "CNAME":
      return { ...base, type: Packet.TYPE.CNAME, domain: r.target };
    case "SRV":
      return { ...base, type: Packet.TYPE.SRV, target: r.target, port: r.port, priority: r.priority, weight: r.weight };
  }
}

export async function startSimDns(options: { host?: string; port?: number; httpsPort: number; address?: string; latencyMs?: number }): Promise<SimDns> {
  const host = options.host ?? "127.0.0.1";
  const address = options.address ?? "127.0.0.1";
  const zone = new Map<string, DnsRecord[]>();
  for (const entry of DISCOVERY_DOMAINS) {
    for (const [name, records] of Object.entries(entry.records({ address, httpsPort: options.httpsPort }))) {
      zone.set(name.toLowerCase(), [...(zone.get(name.toLowerCase()) ?? []), ...records]);
    }
  }
  const queries: string[] = [];

  const handle: dns2.DnsHandler = (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    if (!question) return void send(response);
    const name = question.name.toLowerCase().replace(/\.$/, "");
    const type = TYPE_NAMES[question.type] ?? String(question.type);
    queries.push(`${name} ${type}`);
    const entry = discoveryDomain(name);
    if (entry?.dnsSilent) return; // never answers: the client must time out
    response.header.ra = 1;
    response.header.aa = 1;
    let current = name;
    const seen = new Set<string>();
    for (let hop = 0; hop < 8; hop++) {
      const records = zone.get(current);
      if (!records) {
        if (hop === 0) response.header.rcode = NXDOMAIN;
        break;
      }
      const cname = records.find((r) => r.type === "CNAME");
      if (cname && type !== "CNAME") {
        response.answers.push(resource(current, cname) as never);
        if (seen.has(cname.target)) {
          response.header.rcode = SERVFAIL; // a loop: what a recursive resolver answers
          break;
        }
        seen.add(current);
        current = cname.target.toLowerCase();
        continue;
      }
      for (const r of records) if (r.type === type) response.answers.push(resource(current, r) as never);
      break;
    }
    const answer = () => void send(response).catch(() => undefined);
    if (options.latencyMs) setTimeout(answer, options.latencyMs);
    else answer();
  };

  const udp = dns2.createUDPServer(handle);
  const tcp = dns2.createTCPServer(handle);
  udp.on("requestError", () => undefined);
  tcp.on("requestError", () => undefined);
  await udp.listen(options.port ?? 0, host);
  const port = (udp.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => resolve());
  });
  const server = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    host,
    port,
    server,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        udp.close(() => tcp.close(() => resolve()));
      }),
  };
}
