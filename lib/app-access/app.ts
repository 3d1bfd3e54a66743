import "server-only";
import { readFile } from "node:fs/promises";
import { config, type MicrosoftApp } from "@/lib/config";
import { createSecretScrubber } from "@/lib/exchange/secrets";
import { HttpClient } from "@/lib/exchange/http-client";
import { PROBE_DEFAULTS } from "@/lib/exchange/probe";
import type { GraphProbeInput, GraphProbeOptions } from "@/lib/graph/probe";
import { isGuid, parseCertificate, privateKeyForms } from "@/lib/graph/input";
import { acquireGraphToken } from "@/lib/graph/token";

/**
 * MoxiWorks's Entra app as this server is configured with it: the client ID, its credential (certificate files
 * read when used, so a renewed certificate needs no restart) and the Microsoft hosts. Undefined when app access
 * is not set up on this server.
 */
export type AppAccessSetup = { clientId: string; authorityHost: string; graphUrl: string };

export function appAccessSetup(): AppAccessSetup | undefined {
  const c = config();
  if (!c.microsoftApp) return undefined;
  return { clientId: c.microsoftApp.clientId, authorityHost: c.microsoftAuthorityHost, graphUrl: c.microsoftGraphUrl };
}

export async function appCredential(app: MicrosoftApp = config().microsoftApp!): Promise<GraphProbeInput["credential"]> {
  if (app.credential.kind === "secret") return { kind: "secret", clientSecret: app.credential.clientSecret };
  const [certificatePem, privateKeyPem] = await Promise.all([readFile(app.credential.certFile, "utf8"), readFile(app.credential.keyFile, "utf8")]);
  return { kind: "certificate", certificatePem, privateKeyPem };
}

/** The options runGraphProbe gets on this server: hosts from configuration only, never from a request. */
export async function probeOptions(): Promise<GraphProbeOptions> {
  const c = config();
  return {
    authorityHost: c.microsoftAuthorityHost,
    graphUrl: c.microsoftGraphUrl,
    allowedHosts: c.exchangeAllowedHosts,
    extraCaPem: c.exchangeExtraCaFile ? await readFile(c.exchangeExtraCaFile, "utf8") : "",
  };
}

export type TokenCheck = { ok: true } | { ok: false; code: string };

/**
 * Can the server obtain an app-only token for this tenant now? The admin-consent redirect's `tenant` is only a
 * claim (Microsoft: never use it to authorize); a token Entra issued for it, whose `tid` is that tenant, is proof.
 */
export async function checkTenantToken(
  tenantId: string,
  options: { deadlineMs?: number; app?: MicrosoftApp; probe?: GraphProbeOptions } = {},
): Promise<TokenCheck> {
  const app = options.app ?? config().microsoftApp;
  if (!app) return { ok: false, code: "not_configured" };
  if (!isGuid(tenantId)) return { ok: false, code: "invalid_input" };
  const opts = options.probe ?? (await probeOptions());
  const cred = await appCredential(app).catch(() => undefined);
  if (!cred) return { ok: false, code: "internal_error" };
  const secrets = cred.kind === "secret" ? [cred.clientSecret] : privateKeyForms(cred.privateKeyPem);
  let credential;
  if (cred.kind === "secret") credential = { kind: "secret" as const, clientSecret: cred.clientSecret };
  else {
    const parsed = parseCertificate(cred.certificatePem, cred.privateKeyPem);
    if (!parsed.ok) return { ok: false, code: "certificate_invalid" };
    credential = { kind: "certificate" as const, certificate: parsed.credential };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.deadlineMs ?? 15_000);
  const client = new HttpClient({
    policy: { allowedHosts: opts.allowedHosts ?? [] },
    extraCaPem: opts.extraCaPem || undefined,
    perRequestTimeoutMs: Math.min(PROBE_DEFAULTS.perRequestTimeoutMs, options.deadlineMs ?? 15_000),
    maxBodyBytes: PROBE_DEFAULTS.maxBodyBytes,
    signal: controller.signal,
    scrubber: createSecretScrubber(secrets),
  });
  try {
    const token = await acquireGraphToken(client, { authorityHost: opts.authorityHost!, tenant: tenantId.toLowerCase(), clientId: app.clientId, credential });
    if (!token.ok) return { ok: false, code: token.failure.code };
    if (token.tid && token.tid.toLowerCase() !== tenantId.toLowerCase()) return { ok: false, code: "tenant_mismatch" };
    return { ok: true };
  } catch {
    return { ok: false, code: "token_failed" };
  } finally {
    clearTimeout(timer);
    client.close();
  }
}
