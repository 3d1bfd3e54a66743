import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONFIG_VARIABLES, ConfigError, parseConfig } from "./config";

function errorOf(env: Record<string, string>) {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("has working defaults", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, appUrl: "http://localhost:3000", logLevel: "info", exchangeAllowedHosts: [] });
    expect(c.dataDir).toBe(path.resolve("./data"));
  });

  it("reads a Postgres URL and allowed hosts", () => {
    const c = parseConfig({ DATABASE_URL: "postgresql://u@127.0.0.1:5432/app", EXCHANGE_ALLOWED_HOSTS: "127.0.0.1:8443, sim.test", PORT: "8080" });
    expect(c.databaseUrl).toBe("postgresql://u@127.0.0.1:5432/app");
    expect(c.exchangeAllowedHosts).toEqual(["127.0.0.1:8443", "sim.test"]);
    expect(c.port).toBe(8080);
  });

  it.each([
    [{ PORT: "abc" }, 'Configuration error: PORT must be a whole number between 1 and 65535 (got "abc").'],
    [{ PORT: "70000" }, 'Configuration error: PORT must be a whole number between 1 and 65535 (got "70000").'],
    [{ PORT: "3.5" }, 'Configuration error: PORT must be a whole number between 1 and 65535 (got "3.5").'],
    [{ DATABASE_URL: "mysql://root@localhost/db" }, "Configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL, or unset for the embedded SQLite database."],
    [{ LOG_LEVEL: "loud" }, 'Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").'],
    [{ EXCHANGE_ALLOWED_HOSTS: "http://x" }, 'Configuration error: EXCHANGE_ALLOWED_HOSTS must be a comma-separated list of host or host:port entries (got "http://x").'],
    [{ TRUSTED_PROXIES: "10.0.0.0/8, lb.internal" }, 'Configuration error: TRUSTED_PROXIES must be empty (trust no proxy), a number of proxy hops (1-10), or a comma-separated list of proxy IPs/CIDRs (got "10.0.0.0/8, lb.internal").'],
    [{ TRUSTED_PROXIES: "99" }, 'Configuration error: TRUSTED_PROXIES must be empty (trust no proxy), a number of proxy hops (1-10), or a comma-separated list of proxy IPs/CIDRs (got "99").'],
  ])("one clear line for %j", (env, message) => {
    const m = errorOf(env);
    expect(m).toBe(message);
    expect(m).not.toContain("\n");
  });

  it("METRICS_TOKEN: off when unset, at least 32 printable characters when set, never echoed", () => {
    expect(parseConfig({}).metricsToken).toBeUndefined();
    expect(parseConfig({ METRICS_TOKEN: " abcdefghijklmnopqrstuvwxyz0123456789 " }).metricsToken).toBe("abcdefghijklmnopqrstuvwxyz0123456789");
    for (const bad of ["short-token", "has a space in it abcdefghijklmnopqrstuvwxyz", "x".repeat(513)]) {
      const m = errorOf({ METRICS_TOKEN: bad });
      expect(m).toMatch(/^Configuration error: METRICS_TOKEN must be at least 32 printable characters/);
      expect(m).not.toContain(bad.slice(0, 8));
    }
  });

  describe("OpenID Connect sign-in", () => {
    const base = { OIDC_ISSUER: "https://login.example.com/tenant/v2.0/", OIDC_CLIENT_ID: "moxi-app", OIDC_CLIENT_SECRET: "s3cret~value" };
    it("is off by default, and reads a complete setting with its defaults", () => {
      expect(parseConfig({}).oidc).toBeUndefined();
      expect(parseConfig(base).oidc).toEqual({
        issuer: "https://login.example.com/tenant/v2.0",
        clientId: "moxi-app",
        credential: { kind: "secret", clientSecret: "s3cret~value" },
        roleClaim: "roles",
        staffValues: ["staff"],
        techopsValues: ["techops"],
        mfaAmr: ["mfa"],
        mfaAcr: [],
        scopes: ["openid", "profile", "email", "offline_access"],
        recheckMs: 1_800_000,
      });
      expect(parseConfig({ ...base, OIDC_ISSUER: "http://127.0.0.1:4000", OIDC_STAFF_VALUES: "a, b", OIDC_TECHOPS_VALUES: "c", OIDC_RECHECK_SECONDS: "2" }).oidc).toMatchObject({ staffValues: ["a", "b"], techopsValues: ["c"], recheckMs: 2000 });
    });

    it.each([
      [{ ...base, OIDC_ISSUER: "http://login.example.com" }, "OIDC_ISSUER must be the provider's issuer URL"],
      [{ ...base, OIDC_ISSUER: "not a url" }, "OIDC_ISSUER must be the provider's issuer URL"],
      [{ OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" }, "OIDC_ISSUER must be set when"],
      [{ ...base, OIDC_CLIENT_ID: "" }, "OIDC_CLIENT_ID must be set when OIDC_ISSUER is"],
      [{ ...base, OIDC_CLIENT_SECRET: "" }, "OIDC_CLIENT_ID needs a credential"],
      [{ ...base, OIDC_STAFF_VALUES: "", OIDC_TECHOPS_VALUES: " , " }, "OIDC_STAFF_VALUES or OIDC_TECHOPS_VALUES must name at least one claim value"],
      [{ ...base, OIDC_STAFF_VALUES: "ops", OIDC_TECHOPS_VALUES: "ops" }, "OIDC_TECHOPS_VALUES must not share values"],
      [{ ...base, OIDC_RECHECK_SECONDS: "3600" }, "OIDC_RECHECK_SECONDS must be a whole number of seconds between 1 and 1800"],
      [{ ...base, OIDC_SCOPES: "profile email" }, "OIDC_SCOPES must be a space-separated list of scopes that includes openid"],
      [{ ...base, OIDC_ROLE_CLAIM: "has space" }, "OIDC_ROLE_CLAIM must be the name of the ID token claim"],
    ])("refuses %j with one clear line", (env, message) => {
      const m = errorOf(env as Record<string, string>);
      expect(m).toContain(`Configuration error: ${message}`);
      expect(m).not.toContain("\n");
    });

    it("never echoes the client secret", () => {
      expect(errorOf({ ...base, OIDC_CLIENT_SECRET: "line1\nhunter2" })).not.toContain("hunter2");
    });
  });

  it("never echoes a database URL, which may hold a password", () => {
    expect(errorOf({ DATABASE_URL: "mysql://root:hunter2@db/x" })).not.toContain("hunter2");
  });

  describe("Microsoft app access", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    const cert = path.join(dir, "app.crt");
    const key = path.join(dir, "app.key");
    const junk = path.join(dir, "junk.txt");
    writeFileSync(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    writeFileSync(key, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    writeFileSync(junk, "not a pem");
    const id = "5F6C3E2A-8D1B-4C7E-9A2F-0B3D4E5F6A7B";

    it("is off by default and the Graph URL has its default", () => {
      const c = parseConfig({});
      expect(c.microsoftApp).toBeUndefined();
      expect(c.microsoftGraphUrl).toBe("https://graph.microsoft.com");
    });

    it("reads a certificate credential (preferred) and a secret credential", () => {
      expect(parseConfig({ MICROSOFT_CLIENT_ID: id, MICROSOFT_CERT_FILE: cert, MICROSOFT_KEY_FILE: key }).microsoftApp).toEqual({
        clientId: id.toLowerCase(),
        credential: { kind: "certificate", certFile: cert, keyFile: key },
      });
      expect(parseConfig({ MICROSOFT_CLIENT_ID: id, MICROSOFT_CLIENT_SECRET: "s3cr~et", MICROSOFT_GRAPH_URL: "https://127.0.0.1:8443/graph/" })).toMatchObject({
        microsoftApp: { clientId: id.toLowerCase(), credential: { kind: "secret", clientSecret: "s3cr~et" } },
        microsoftGraphUrl: "https://127.0.0.1:8443/graph",
      });
    });

    it.each([
      [{ MICROSOFT_CLIENT_ID: "moxi-app" }, "MICROSOFT_CLIENT_ID must be the app's Application (client) ID"],
      [{ MICROSOFT_CLIENT_ID: id }, "MICROSOFT_CLIENT_ID needs a credential"],
      [{ MICROSOFT_CLIENT_SECRET: "x" }, "MICROSOFT_CLIENT_ID must be set when"],
      [{ MICROSOFT_CLIENT_ID: id, MICROSOFT_CERT_FILE: cert }, "MICROSOFT_KEY_FILE must be set together with MICROSOFT_CERT_FILE"],
      [{ MICROSOFT_CLIENT_ID: id, MICROSOFT_KEY_FILE: key }, "MICROSOFT_CERT_FILE must be set together with MICROSOFT_KEY_FILE"],
      [{ MICROSOFT_CLIENT_ID: id, MICROSOFT_CERT_FILE: cert, MICROSOFT_KEY_FILE: key, MICROSOFT_CLIENT_SECRET: "x" }, "MICROSOFT_CLIENT_SECRET must be unset"],
      [{ MICROSOFT_CLIENT_ID: id, MICROSOFT_CERT_FILE: path.join(dir, "missing.crt"), MICROSOFT_KEY_FILE: key }, "MICROSOFT_CERT_FILE must be a readable PEM file"],
      [{ MICROSOFT_CLIENT_ID: id, MICROSOFT_CERT_FILE: cert, MICROSOFT_KEY_FILE: junk }, "MICROSOFT_KEY_FILE must be a readable PEM file"],
      [{ MICROSOFT_GRAPH_URL: "graph.microsoft.com" }, "MICROSOFT_GRAPH_URL must be a base URL"],
    ])("one clear line for %j", (env, start) => {
      const m = errorOf(env);
      expect(m).toContain(`Configuration error: ${start}`);
      expect(m).not.toContain("\n");
    });

    it("never echoes the client secret", () => {
      const m = errorOf({ MICROSOFT_CLIENT_ID: id, MICROSOFT_CLIENT_SECRET: "line1\nhunter2" });
      expect(m).toContain("MICROSOFT_CLIENT_SECRET must be the client secret's value on one line");
      expect(m).not.toContain("hunter2");
    });
  });
});

describe("documentation of the settings", () => {
  const KEY_RING_VARIABLES = ["CREDENTIAL_KEY_FILE", "CREDENTIAL_KEYS", "CREDENTIAL_ACTIVE_KEY_ID"];
  const all = [...CONFIG_VARIABLES, ...KEY_RING_VARIABLES];
  it("reads the settings it is expected to", () => {
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(["PORT", "DATA_DIR", "DATABASE_URL", "SMTP_URL", "MAIL_FROM", "STAFF_ALERT_EMAIL", "SCHEDULER_INTERVAL_MS", "REVERIFY_INTERVAL_HOURS"]));
  });
  it(".env.example names every setting the server reads", () => {
    const example = readFileSync(path.join(__dirname, "..", ".env.example"), "utf8");
    expect(all.filter((v) => !new RegExp(`^#? ?${v}=`, "m").test(example))).toEqual([]);
  });
  it("README's configuration table has a row for every setting", () => {
    const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Microsoft 365 app access"));
    expect(all.filter((v) => !table.includes(`\`${v}\``))).toEqual([]);
  });
});
