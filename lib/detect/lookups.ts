import "server-only";
import type { promises as dnsPromises } from "node:dns";
import { performance } from "node:perf_hooks";
import { HttpFailure, type HttpClient } from "@/lib/exchange/http-client";
import { dnsErrorKind } from "./dns";
import type { AutodiscoverCnameFact, CloudAutodiscoverFact, DetectionFacts, LookupFailure, MxFact, OnPremisesFact, RealmFact, TenantFact, TxtFact } from "./facts";
import { parseAutodiscoverV2, parseOpenIdConfiguration, parseUserRealm, readTxtRecords } from "./parse";
import type { DetectionSubject } from "./address";

/**
 * The public lookups, each turned into a fact. They run at the same time; none throws: a lookup that fails
 * or runs out of time becomes a `failed` fact that says why.
 */
export type LookupContext = {
  dns: dnsPromises.Resolver;
  http: HttpClient;
  /** e.g. https://login.microsoftonline.com (may carry a path prefix) */
  authorityUrl: string;
  /** e.g. https://outlook.office365.com (may carry a path prefix) */
  autodiscoverUrl: string;
  /** Aborts when the deadline passes. */
  signal: AbortSignal;
};

export type LookupName = "mx" | "txt" | "tenant" | "realm" | "cloudAutodiscover" | "autodiscoverCname" | "onPremises";
export type LookupTimings = Partial<Record<LookupName, number>>;

const MAX_MX = 10;
const MAX_SRV = 3;

function timedOut(what: string): LookupFailure {
  return { kind: "failed", reason: "timeout", detail: `no answer before the detector's deadline (${what})` };
}

/** Settles with the lookup's result, or with `onAbort` as soon as the deadline passes. */
function untilDeadline<T>(signal: AbortSignal, work: Promise<T>, onAbort: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort());
  return new Promise<T>((resolve) => {
    const stop = () => resolve(onAbort());
    signal.addEventListener("abort", stop, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", stop), resolve(v)),
      () => (signal.removeEventListener("abort", stop), resolve(onAbort())),
    );
  });
}

function dnsFailure(e: unknown, what: string): LookupFailure {
  const kind = dnsErrorKind(e);
  const code = (e as { code?: string }).code ?? "error";
  return { kind: "failed", reason: kind === "timeout" ? "timeout" : "unreachable", detail: `${what}: ${code}` };
}

function httpFailure(e: unknown): LookupFailure {
  if (e instanceof HttpFailure) {
    const code = e.code;
    const reason = code === "address_not_public" || code === "url_not_allowed" ? "refused" : code === "timeout" || code === "deadline" || code === "cancelled" ? "timeout" : code === "response_too_large" ? "bad_answer" : "unreachable";
    return { kind: "failed", reason, detail: e.message.slice(0, 240) };
  }
  return { kind: "failed", reason: "unreachable", detail: "the request failed" };
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;

async function get(ctx: LookupContext, url: string, purpose: string) {
  return ctx.http.request({ method: "GET", url, purpose, headers: { accept: "application/json" } });
}

export async function lookupMx(ctx: LookupContext, domain: string): Promise<MxFact> {
  try {
    const records = await ctx.dns.resolveMx(domain);
    const hosts = records
      .sort((a, b) => a.priority - b.priority)
      .map((r) => r.exchange.toLowerCase().replace(/\.$/, ""))
      .filter((h) => h.length > 0 && h !== ".")
      .slice(0, MAX_MX);
    return hosts.length ? { kind: "hosts", hosts } : { kind: "none" };
  } catch (e) {
    const kind = dnsErrorKind(e);
    if (kind === "no_domain") return { kind: "no_domain" };
    if (kind === "no_data") return { kind: "none" };
    return dnsFailure(e, "MX");
  }
}

export async function lookupTxt(ctx: LookupContext, domain: string): Promise<TxtFact> {
  try {
    return readTxtRecords(await ctx.dns.resolveTxt(domain));
  } catch (e) {
    const kind = dnsErrorKind(e);
    if (kind === "no_domain" || kind === "no_data") return { kind: "none" };
    return dnsFailure(e, "TXT");
  }
}

export async function lookupTenant(ctx: LookupContext, domain: string): Promise<TenantFact> {
  try {
    return parseOpenIdConfiguration(await get(ctx, join(ctx.authorityUrl, `/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`), "detect-openid"));
  } catch (e) {
    return httpFailure(e);
  }
}

export async function lookupRealm(ctx: LookupContext, email: string): Promise<RealmFact> {
  try {
    return parseUserRealm(await get(ctx, join(ctx.authorityUrl, `/getuserrealm.srf?login=${encodeURIComponent(email)}&json=1`), "detect-user-realm"));
  } catch (e) {
    return httpFailure(e);
  }
}

const autodiscoverJsonPath = (email: string) => `/autodiscover/autodiscover.json/v1.0/${encodeURIComponent(email)}?Protocol=EWS`;

export async function lookupCloudAutodiscover(ctx: LookupContext, email: string): Promise<CloudAutodiscoverFact> {
  try {
    return parseAutodiscoverV2(await get(ctx, join(ctx.autodiscoverUrl, autodiscoverJsonPath(email)), "detect-autodiscover-v2"));
  } catch (e) {
    return httpFailure(e);
  }
}

export async function lookupAutodiscoverCname(ctx: LookupContext, domain: string): Promise<AutodiscoverCnameFact> {
  try {
    const [target] = await ctx.dns.resolveCname(`autodiscover.${domain}`);
    return target ? { kind: "cname", target: target.toLowerCase().replace(/\.$/, "") } : { kind: "none" };
  } catch (e) {
    const kind = dnsErrorKind(e);
    if (kind === "no_domain" || kind === "no_data") return { kind: "none" };
    return dnsFailure(e, "CNAME");
  }
}

type Candidate = { host: string; port: number; via: string };

/** The SRV record's targets (RFC 2782 order), then autodiscover.<domain>; each asked for the mailbox's EWS URL. */
export async function lookupOnPremises(ctx: LookupContext, subject: DetectionSubject): Promise<OnPremisesFact> {
  const { domain, email } = subject;
  const tryCandidate = async (c: Candidate): Promise<OnPremisesFact> => {
    const base = `https://${c.host}${c.port === 443 ? "" : `:${c.port}`}`;
    try {
      const fact = parseAutodiscoverV2(await get(ctx, `${base}${autodiscoverJsonPath(email)}`, "detect-on-premises-autodiscover"));
      // An Exchange Online URL here is Microsoft 365's Autodiscover behind a CNAME, not an on-premises server.
      if (fact.kind === "on_premises") return { kind: "ews_url", ewsUrl: fact.ewsUrl, via: c.via };
      return { kind: "none", tried: [c.via] };
    } catch (e) {
      const f = httpFailure(e);
      return f.reason === "refused" ? { kind: "refused", host: c.host, detail: f.detail } : { kind: "none", tried: [c.via] };
    }
  };
  const srv = ctx.dns.resolveSrv(`_autodiscover._tcp.${domain}`).then(
    (records) =>
      records
        .filter((r) => r.name && r.name !== ".")
        .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
        .slice(0, MAX_SRV)
        .map((r): Candidate => ({ host: r.name.toLowerCase().replace(/\.$/, ""), port: r.port, via: `SRV ${r.name.replace(/\.$/, "")}:${r.port}` })),
    () => [] as Candidate[],
  );
  const direct: Candidate = { host: `autodiscover.${domain}`, port: 443, via: `autodiscover.${domain}` };
  const attempts: Promise<OnPremisesFact>[] = [tryCandidate(direct), srv.then((cs) => firstEwsUrl(cs.map(tryCandidate)))];
  return firstEwsUrl(attempts);
}

/** The first EWS URL any attempt finds; otherwise a refusal if there was one (it explains more), else "none". */
async function firstEwsUrl(attempts: Promise<OnPremisesFact>[]): Promise<OnPremisesFact> {
  if (attempts.length === 0) return { kind: "none", tried: [] };
  return new Promise((resolve) => {
    const results: OnPremisesFact[] = [];
    for (const a of attempts) {
      void a.then((fact) => {
        results.push(fact);
        if (fact.kind === "ews_url") return resolve(fact);
        if (results.length < attempts.length) return;
        const refused = results.find((r) => r.kind === "refused");
        resolve(refused ?? { kind: "none", tried: results.flatMap((r) => (r.kind === "none" ? r.tried : [])) });
      });
    }
  });
}

/** Every lookup at once; returns when the last one settles or the deadline passes, whichever is first. */
export async function runLookups(
  ctx: LookupContext,
  subject: DetectionSubject,
  only?: { domain: boolean; mailbox: boolean },
): Promise<{ facts: Partial<Omit<DetectionFacts, "email" | "domain">>; timings: LookupTimings }> {
  const timings: LookupTimings = {};
  const timed = <T>(name: LookupName, work: () => Promise<T>, onTimeout: () => T): Promise<T> => {
    const t0 = performance.now();
    return untilDeadline(ctx.signal, work(), onTimeout).finally(() => (timings[name] = Math.round(performance.now() - t0)));
  };
  const domainLevel = only?.domain ?? true;
  const mailboxLevel = only?.mailbox ?? true;
  const { domain, email } = subject;
  const [mx, txt, tenant, realm, autodiscoverCname, cloudAutodiscover, onPremises] = await Promise.all([
    domainLevel ? timed("mx", () => lookupMx(ctx, domain), () => timedOut("MX")) : undefined,
    domainLevel ? timed("txt", () => lookupTxt(ctx, domain), () => timedOut("TXT")) : undefined,
    domainLevel ? timed("tenant", () => lookupTenant(ctx, domain), () => timedOut("OpenID configuration")) : undefined,
    domainLevel ? timed("realm", () => lookupRealm(ctx, email), () => timedOut("user realm")) : undefined,
    domainLevel ? timed("autodiscoverCname", () => lookupAutodiscoverCname(ctx, domain), () => timedOut("CNAME")) : undefined,
    mailboxLevel ? timed("cloudAutodiscover", () => lookupCloudAutodiscover(ctx, email), () => timedOut("Autodiscover v2")) : undefined,
    mailboxLevel ? timed("onPremises", () => lookupOnPremises(ctx, subject), () => timedOut("on-premises Autodiscover")) : undefined,
  ]);
  return { facts: { mx, txt, tenant, realm, autodiscoverCname, cloudAutodiscover, onPremises }, timings };
}
