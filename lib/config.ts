import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/http/client-address";

/**
 * Every setting the server reads, validated once. A wrong value stops the start with one line that names
 * the variable and what it expects (see `formatConfigError`), never a stack trace.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when the file can be read now and holds a PEM block of that kind (checked at start, not at first consent). */
function readablePem(file: string, kind: string): boolean {
  try {
    const text = readFileSync(file, "utf8");
    return kind === "PRIVATE KEY" ? /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(text) : text.includes(`-----BEGIN ${kind}-----`);
  } catch {
    return false;
  }
}

const hostPort = /^(\[[0-9a-f:]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/** A base URL (scheme, host, optional port and path prefix), stored without a trailing slash. */
function httpsBaseUrl(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((v) => (v.trim() || fallback).replace(/\/+$/, ""))
    .refine((v) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v) && URL.canParse(v), { message: `must be a base URL such as ${fallback}` });
}

const configSchema = z.object({
  PORT: z.coerce
    .number({ message: "must be a whole number between 1 and 65535" })
    .int("must be a whole number between 1 and 65535")
    .min(1, "must be a whole number between 1 and 65535")
    .max(65535, "must be a whole number between 1 and 65535")
    .default(3000),
  DATA_DIR: z.string().min(1, "must be a directory path").default("./data"),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(v), {
      message: "must be a postgres:// or postgresql:// URL, or unset for the embedded SQLite database",
    })
    .refine((v) => v === undefined || URL.canParse(v), { message: "is not a valid URL" }),
  APP_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || /^https?:\/\/[^\s/]+/.test(v), {
      message: "must be the public base URL, e.g. https://onboarding.moxiworks.com",
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    message: "must be one of fatal, error, warn, info, debug, trace, silent",
  }).default("info"),
  EXCHANGE_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.every((h) => hostPort.test(h)), {
      message: "must be a comma-separated list of host or host:port entries",
    }),
  EXCHANGE_EXTRA_CA_FILE: z.string().optional(),
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .refine((v) => parseTrustedProxies(v).ok, {
      message: "must be empty (trust no proxy), a number of proxy hops (1-10), or a comma-separated list of proxy IPs/CIDRs",
    }),
  DNS_SERVERS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .refine((servers) => servers.every((h) => hostPort.test(h)), {
      message: "must be a comma-separated list of DNS servers as host or host:port (IPv6 in brackets), or empty for the system's",
    }),
  MICROSOFT_AUTHORITY_HOST: httpsBaseUrl("https://login.microsoftonline.com"),
  MICROSOFT_AUTODISCOVER_HOST: httpsBaseUrl("https://outlook.office365.com"),
  MICROSOFT_GRAPH_URL: httpsBaseUrl("https://graph.microsoft.com"),
  // MoxiWorks's multi-tenant Entra app (README "Microsoft 365 app access"). All optional: without a client ID
  // the app-access path says it is not set up on this server.
  MICROSOFT_CLIENT_ID: z
    .string()
    .default("")
    .transform((v) => v.trim().toLowerCase())
    .refine((v) => v === "" || GUID.test(v), { message: "must be the app's Application (client) ID, a GUID like 5f6c3e2a-8d1b-4c7e-9a2f-0b3d4e5f6a7b" }),
  MICROSOFT_CERT_FILE: z.string().default("").transform((v) => v.trim()).refine((v) => v === "" || readablePem(v, "CERTIFICATE"), {
    message: "must be a readable PEM file holding the app's certificate (-----BEGIN CERTIFICATE-----)",
  }),
  MICROSOFT_KEY_FILE: z.string().default("").transform((v) => v.trim()).refine((v) => v === "" || readablePem(v, "PRIVATE KEY"), {
    message: "must be a readable PEM file holding the certificate's private key (-----BEGIN PRIVATE KEY-----)",
  }),
  MICROSOFT_CLIENT_SECRET: z
    .string()
    .default("")
    .refine((v) => v.length <= 1024 && !/[\x00-\x1f\x7f]/.test(v), { message: "must be the client secret's value on one line (at most 1024 characters)" }),
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^smtps?:\/\/[^\s]+$/.test(v), { message: "must be an smtp:// or smtps:// URL, or unset to keep mail in the outbox" }),
  MAIL_FROM: z.string().default("MoxiWorks onboarding <engage-onboarding@moxiworks.com>"),
  STAFF_ALERT_EMAIL: z.string().default("engage-onboarding@moxiworks.com"),
  SCHEDULER_INTERVAL_MS: z.coerce
    .number({ message: "must be a number of milliseconds between 200 and 3600000" })
    .int("must be a number of milliseconds between 200 and 3600000")
    .min(200, "must be a number of milliseconds between 200 and 3600000")
    .max(3_600_000, "must be a number of milliseconds between 200 and 3600000")
    .default(15_000),
  REVERIFY_INTERVAL_HOURS: z.coerce
    .number({ message: "must be a number of hours (0 turns re-verification off)" })
    .min(0, "must be a number of hours (0 turns re-verification off)")
    .default(24),
  ROSTER_CONCURRENCY: z.coerce
    .number({ message: "must be a whole number of mailboxes checked at once, 1 to 200" })
    .int("must be a whole number of mailboxes checked at once, 1 to 200")
    .min(1, "must be a whole number of mailboxes checked at once, 1 to 200")
    .max(200, "must be a whole number of mailboxes checked at once, 1 to 200")
    .default(16),
  ROSTER_MAILBOX_DEADLINE_MS: z.coerce
    .number({ message: "must be a number of milliseconds between 500 and 120000" })
    .int("must be a number of milliseconds between 500 and 120000")
    .min(500, "must be a number of milliseconds between 500 and 120000")
    .max(120_000, "must be a number of milliseconds between 500 and 120000")
    .default(15_000),
  // The bearer token Prometheus sends to GET /api/metrics; unset: the endpoint refuses every scrape.
  METRICS_TOKEN: z
    .string()
    .default("")
    .transform((v) => v.trim())
    .refine((v) => v === "" || /^[\x21-\x7e]{32,512}$/.test(v), { message: "must be at least 32 printable characters without spaces (e.g. openssl rand -base64 32), or unset to turn metrics off" }),
  // Staff sign-in through the company's OpenID provider (README "Staff sign-in with OpenID Connect"). Unset
  // OIDC_ISSUER: password + TOTP sign-in as before.
  OIDC_ISSUER: z
    .string()
    .default("")
    .transform((v) => v.trim().replace(/\/+$/, ""))
    .refine((v) => v === "" || (URL.canParse(v) && (/^https:\/\//.test(v) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(v))), {
      message: "must be the provider's issuer URL (https://…; plain http only on loopback, for tests), e.g. https://login.microsoftonline.com/<tenant>/v2.0",
    }),
  OIDC_CLIENT_ID: z.string().default("").transform((v) => v.trim()).refine((v) => v.length <= 256 && !/\s/.test(v), { message: "must be the client (application) ID the provider issued, without spaces" }),
  OIDC_CLIENT_SECRET: z.string().default("").refine((v) => v.length <= 1024 && !/[\x00-\x1f\x7f]/.test(v), { message: "must be the client secret on one line (at most 1024 characters)" }),
  OIDC_PRIVATE_KEY_FILE: z.string().default("").transform((v) => v.trim()).refine((v) => v === "" || readablePem(v, "PRIVATE KEY"), {
    message: "must be a readable PEM file holding the client's RSA private key (-----BEGIN PRIVATE KEY-----), for private_key_jwt",
  }),
  OIDC_PRIVATE_KEY_ID: z.string().default("").transform((v) => v.trim()),
  OIDC_ROLE_CLAIM: z.string().default("roles").transform((v) => v.trim() || "roles").refine((v) => /^[A-Za-z0-9_:./-]{1,200}$/.test(v), { message: "must be the name of the ID token claim that carries the roles or groups, e.g. roles or groups" }),
  OIDC_STAFF_VALUES: z.string().default("staff").transform(list),
  OIDC_TECHOPS_VALUES: z.string().default("techops").transform(list),
  OIDC_MFA_AMR: z.string().default("mfa").transform(list),
  OIDC_MFA_ACR: z.string().default("").transform(list),
  OIDC_SCOPES: z.string().default("openid profile email offline_access").transform((v) => v.split(/\s+/).filter(Boolean)).refine((v) => v.includes("openid"), { message: "must be a space-separated list of scopes that includes openid" }),
  OIDC_RECHECK_SECONDS: z.coerce
    .number({ message: "must be a whole number of seconds between 1 and 1800" })
    .int("must be a whole number of seconds between 1 and 1800")
    .min(1, "must be a whole number of seconds between 1 and 1800")
    .max(1800, "must be a whole number of seconds between 1 and 1800")
    .default(1800),
});

function list(v: string): string[] {
  return v.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Every environment variable the server reads here (the key ring reads its own: lib/crypto/load-key-ring.ts). */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as readonly string[];

export type AppConfig = {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  appUrl: string;
  logLevel: z.infer<typeof configSchema>["LOG_LEVEL"];
  exchangeAllowedHosts: string[];
  exchangeExtraCaFile: string | undefined;
  /** host:port entries; empty means the system's resolvers. */
  dnsServers: string[];
  /** Which X-Forwarded-For hops to believe for the client's address (lib/http/client-address.ts). */
  trustedProxies: TrustedProxies;
  microsoftAuthorityHost: string;
  microsoftAutodiscoverHost: string;
  microsoftGraphUrl: string;
  /** MoxiWorks's Entra app, or undefined when app access is not set up on this server. */
  microsoftApp: MicrosoftApp | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  staffAlertEmail: string;
  reverifyIntervalHours: number;
  schedulerIntervalMs: number;
  /** Mailboxes a roster check has in flight at once, per onboarding (ROSTER_CONCURRENCY). */
  rosterConcurrency: number;
  /** Each mailbox's own deadline in a roster check, retries included (ROSTER_MAILBOX_DEADLINE_MS). */
  rosterMailboxDeadlineMs: number;
  /** The bearer token for GET /api/metrics, or undefined: metrics are off (every scrape refused). */
  metricsToken: string | undefined;
  /** Staff sign-in through an OpenID provider, or undefined: password + TOTP sign-in only. */
  oidc: OidcSettings | undefined;
};

export type OidcSettings = {
  issuer: string;
  clientId: string;
  credential: { kind: "secret"; clientSecret: string } | { kind: "private_key_jwt"; keyFile: string; keyId: string | undefined };
  roleClaim: string;
  staffValues: string[];
  techopsValues: string[];
  mfaAmr: string[];
  mfaAcr: string[];
  scopes: string[];
  /** How long a session runs on one confirmation from the provider (at most the idle timeout). */
  recheckMs: number;
};

/** The app's credential: a certificate (preferred; files read when used) or a client secret. */
export type MicrosoftApp = { clientId: string; credential: { kind: "certificate"; certFile: string; keyFile: string } | { kind: "secret"; clientSecret: string } };

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`Configuration error: ${variable} ${problem}.`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const got = env[variable];
    const shown = variable === "DATABASE_URL" || variable === "SMTP_URL" || variable === "MICROSOFT_CLIENT_SECRET" || variable === "METRICS_TOKEN" || variable === "OIDC_CLIENT_SECRET" || got === undefined ? "" : ` (got "${got.slice(0, 60)}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = result.data;
  const microsoftApp = microsoftAppOf(c);
  return {
    port: c.PORT,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    appUrl: (c.APP_URL || `http://localhost:${c.PORT}`).replace(/\/+$/, ""),
    logLevel: c.LOG_LEVEL,
    exchangeAllowedHosts: c.EXCHANGE_ALLOWED_HOSTS,
    exchangeExtraCaFile: c.EXCHANGE_EXTRA_CA_FILE || undefined,
    dnsServers: c.DNS_SERVERS,
    trustedProxies: (parseTrustedProxies(c.TRUSTED_PROXIES) as { ok: true; trusted: TrustedProxies }).trusted,
    microsoftAuthorityHost: c.MICROSOFT_AUTHORITY_HOST,
    microsoftAutodiscoverHost: c.MICROSOFT_AUTODISCOVER_HOST,
    microsoftGraphUrl: c.MICROSOFT_GRAPH_URL,
    microsoftApp,
    smtpUrl: c.SMTP_URL || undefined,
    mailFrom: c.MAIL_FROM,
    staffAlertEmail: c.STAFF_ALERT_EMAIL,
    reverifyIntervalHours: c.REVERIFY_INTERVAL_HOURS,
    schedulerIntervalMs: c.SCHEDULER_INTERVAL_MS,
    rosterConcurrency: c.ROSTER_CONCURRENCY,
    rosterMailboxDeadlineMs: c.ROSTER_MAILBOX_DEADLINE_MS,
    metricsToken: c.METRICS_TOKEN || undefined,
    oidc: oidcOf(c),
  };
}

/** The app settings make sense only together: a client ID with exactly one complete credential. */
function microsoftAppOf(c: z.infer<typeof configSchema>): MicrosoftApp | undefined {
  const hasCert = c.MICROSOFT_CERT_FILE !== "" || c.MICROSOFT_KEY_FILE !== "";
  const hasSecret = c.MICROSOFT_CLIENT_SECRET !== "";
  if (c.MICROSOFT_CLIENT_ID === "") {
    if (hasCert || hasSecret) throw new ConfigError("MICROSOFT_CLIENT_ID", "must be set when MICROSOFT_CERT_FILE, MICROSOFT_KEY_FILE or MICROSOFT_CLIENT_SECRET is");
    return undefined;
  }
  if (hasCert) {
    if (c.MICROSOFT_CERT_FILE === "") throw new ConfigError("MICROSOFT_CERT_FILE", "must be set together with MICROSOFT_KEY_FILE");
    if (c.MICROSOFT_KEY_FILE === "") throw new ConfigError("MICROSOFT_KEY_FILE", "must be set together with MICROSOFT_CERT_FILE");
    if (hasSecret) throw new ConfigError("MICROSOFT_CLIENT_SECRET", "must be unset when a certificate (MICROSOFT_CERT_FILE + MICROSOFT_KEY_FILE) is configured: choose one credential");
    return { clientId: c.MICROSOFT_CLIENT_ID, credential: { kind: "certificate", certFile: c.MICROSOFT_CERT_FILE, keyFile: c.MICROSOFT_KEY_FILE } };
  }
  if (hasSecret) return { clientId: c.MICROSOFT_CLIENT_ID, credential: { kind: "secret", clientSecret: c.MICROSOFT_CLIENT_SECRET } };
  throw new ConfigError("MICROSOFT_CLIENT_ID", "needs a credential: MICROSOFT_CERT_FILE + MICROSOFT_KEY_FILE (preferred) or MICROSOFT_CLIENT_SECRET");
}

/** The OpenID settings make sense only together: issuer, client ID, exactly one credential, and roles to map. */
function oidcOf(c: z.infer<typeof configSchema>): OidcSettings | undefined {
  const hasSecret = c.OIDC_CLIENT_SECRET !== "";
  const hasKey = c.OIDC_PRIVATE_KEY_FILE !== "";
  if (c.OIDC_ISSUER === "") {
    if (c.OIDC_CLIENT_ID || hasSecret || hasKey) throw new ConfigError("OIDC_ISSUER", "must be set when OIDC_CLIENT_ID, OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE is");
    return undefined;
  }
  if (c.OIDC_CLIENT_ID === "") throw new ConfigError("OIDC_CLIENT_ID", "must be set when OIDC_ISSUER is");
  if (hasSecret && hasKey) throw new ConfigError("OIDC_CLIENT_SECRET", "must be unset when OIDC_PRIVATE_KEY_FILE is configured: choose one credential");
  if (!hasSecret && !hasKey) throw new ConfigError("OIDC_CLIENT_ID", "needs a credential: OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE (private_key_jwt)");
  if (c.OIDC_STAFF_VALUES.length === 0 && c.OIDC_TECHOPS_VALUES.length === 0) throw new ConfigError("OIDC_STAFF_VALUES", "or OIDC_TECHOPS_VALUES must name at least one claim value");
  const overlap = c.OIDC_STAFF_VALUES.find((v) => c.OIDC_TECHOPS_VALUES.includes(v));
  if (overlap) throw new ConfigError("OIDC_TECHOPS_VALUES", `must not share values with OIDC_STAFF_VALUES (both name "${overlap.slice(0, 60)}")`);
  return {
    issuer: c.OIDC_ISSUER,
    clientId: c.OIDC_CLIENT_ID,
    credential: hasSecret ? { kind: "secret", clientSecret: c.OIDC_CLIENT_SECRET } : { kind: "private_key_jwt", keyFile: c.OIDC_PRIVATE_KEY_FILE, keyId: c.OIDC_PRIVATE_KEY_ID || undefined },
    roleClaim: c.OIDC_ROLE_CLAIM,
    staffValues: c.OIDC_STAFF_VALUES,
    techopsValues: c.OIDC_TECHOPS_VALUES,
    mfaAmr: c.OIDC_MFA_AMR,
    mfaAcr: c.OIDC_MFA_ACR,
    scopes: c.OIDC_SCOPES,
    recheckMs: c.OIDC_RECHECK_SECONDS * 1000,
  };
}

let cached: AppConfig | undefined;

/** The process configuration, read from the environment on first use. */
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
