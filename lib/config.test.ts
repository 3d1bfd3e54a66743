import { describe, expect, it } from "vitest";
import path from "node:path";
import { ConfigError, parseConfig } from "./config";

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

  it("never echoes a database URL, which may hold a password", () => {
    expect(errorOf({ DATABASE_URL: "mysql://root:hunter2@db/x" })).not.toContain("hunter2");
  });
});
