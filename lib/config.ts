import "server-only";
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/http/client-address";

/**
 * Every setting the server reads, validated once. A wrong value stops the start with one line that names
 * the variable and what it expects (see `formatConfigError`), never a stack trace.
 */
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
});

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
  smtpUrl: string | undefined;
  mailFrom: string;
  staffAlertEmail: string;
  reverifyIntervalHours: number;
  schedulerIntervalMs: number;
};

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
    const shown = variable === "DATABASE_URL" || variable === "SMTP_URL" || got === undefined ? "" : ` (got "${got.slice(0, 60)}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = result.data;
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
    smtpUrl: c.SMTP_URL || undefined,
    mailFrom: c.MAIL_FROM,
    staffAlertEmail: c.STAFF_ALERT_EMAIL,
    reverifyIntervalHours: c.REVERIFY_INTERVAL_HOURS,
    schedulerIntervalMs: c.SCHEDULER_INTERVAL_MS,
  };
}

let cached: AppConfig | undefined;

/** The process configuration, read from the environment on first use. */
export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
