/**
 * `npm run sim -- [--port N] [--https-port N] [--dns-port N] [--latency-ms N] [--host H] [--ca-out FILE] [--json]`
 * Starts the Exchange simulator and prints its URLs, the scenarios and the account naming scheme. With
 * --dns-port it also answers DNS for the mail-host detection domains (*.detect.sim.test), for DNS_SERVERS.
 * With --json it prints one JSON line (URLs, allowed hosts, CA PEM) for scripts and tests.
 * With --app-cert-out FILE --app-key-out FILE it generates a certificate credential for the simulator's Entra app
 * (SIM_CLIENT_ID), registers it and writes the certificate and its private key (PEM) there, for
 * MICROSOFT_CERT_FILE / MICROSOFT_KEY_FILE (the key file is written with mode 0600).
 */
import { chmodSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startSimDns } from "./dns";
import { DETECT_DOMAIN } from "./discovery";
import { startExchangeSim } from "./server";
import { mailboxFor, SCENARIOS, SIM_DOMAIN } from "./scenarios";
import { SIM_CLIENT_ID } from "./m365-scenarios";

function fail(message: string): never {
  process.stderr.write(`exchange-sim: ${message}\n`);
  process.exit(2);
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name} must be a port number (0-65535), got "${value}".`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: "string" },
      "https-port": { type: "string" },
      "dns-port": { type: "string" },
      "latency-ms": { type: "string" },
      host: { type: "string" },
      "ca-out": { type: "string" },
      "app-cert-out": { type: "string" },
      "app-key-out": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help) {
  process.stdout.write("Usage: npm run sim -- [--port N] [--https-port N] [--dns-port N] [--latency-ms N] [--host 127.0.0.1] [--ca-out sim-ca.pem] [--app-cert-out app.crt --app-key-out app.key] [--json]\n");
  process.exit(0);
}
const latencyMs = args["latency-ms"] === undefined ? 0 : Number(args["latency-ms"]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`--latency-ms must be a number of milliseconds, got "${args["latency-ms"]}".`);
if (!args["app-cert-out"] !== !args["app-key-out"]) fail("--app-cert-out and --app-key-out go together.");

const sim = await startExchangeSim({ port: port(args.port, "--port") ?? 8080, httpsPort: port(args["https-port"], "--https-port") ?? 8443, latencyMs, host: args.host });
if (args["ca-out"]) writeFileSync(args["ca-out"], sim.caPem);
if (args["app-cert-out"] && args["app-key-out"]) {
  const pems = await sim.m365.directory.addAppCertificate();
  writeFileSync(args["app-key-out"], pems.privateKeyPem, { mode: 0o600 });
  chmodSync(args["app-key-out"], 0o600);
  writeFileSync(args["app-cert-out"], pems.certificatePem);
}
const dnsPort = port(args["dns-port"], "--dns-port");
const dns = dnsPort === undefined ? undefined : await startSimDns({ host: args.host, port: dnsPort, httpsPort: Number(new URL(sim.httpsUrl).port) });

if (args.json) {
  const { httpUrl, httpsUrl, ewsUrl, autodiscoverUrls, allowedHosts, tlsWrongNameUrl, tlsExpiredUrl, caPem, password } = sim;
  process.stdout.write(JSON.stringify({ httpUrl, httpsUrl, ewsUrl, autodiscoverUrls, allowedHosts, tlsWrongNameUrl, tlsExpiredUrl, caPem, password, dnsServer: dns?.server, pid: process.pid }) + "\n");
} else {
  const width = Math.max(...Object.keys(SCENARIOS).map((s) => s.length));
  const lines = [
    "Exchange simulator running",
    `  http:   ${sim.httpUrl}   (GET /autodiscover/autodiscover.xml redirects to https)`,
    `  https:  ${sim.httpsUrl}  (Autodiscover POST /autodiscover/autodiscover.svc, EWS ${sim.ewsUrl})`,
    `  bad TLS: wrong name ${sim.tlsWrongNameUrl}, expired ${sim.tlsExpiredUrl}`,
    `  latency: ${latencyMs} ms per request`,
    dns ? `  DNS:    ${dns.server} (UDP and TCP) for *.${DETECT_DOMAIN}: DNS_SERVERS=${dns.server}` : "  DNS:    pass --dns-port N to answer for the detection domains",
    `  password: ${sim.password} (any other password gets the wrong-password answer)`,
    args["ca-out"] ? `  CA certificate written to ${args["ca-out"]}` : "  CA certificate: pass --ca-out FILE to save it for --ca-file",
    `  Entra:  ${sim.m365.authorityHost} (MICROSOFT_AUTHORITY_HOST), Graph: ${sim.m365.graphUrl} (MICROSOFT_GRAPH_URL), app ${SIM_CLIENT_ID} (MICROSOFT_CLIENT_ID)`,
    args["app-cert-out"]
      ? `  app certificate: MICROSOFT_CERT_FILE=${args["app-cert-out"]} MICROSOFT_KEY_FILE=${args["app-key-out"]}`
      : "  app credential: MICROSOFT_CLIENT_SECRET (SIM_CLIENT_SECRET in m365-scenarios.ts), or pass --app-cert-out/--app-key-out for a certificate",
    "",
    `Accounts: the test mailbox picks the scenario by domain, <anyone>@<scenario>.${SIM_DOMAIN} (e.g. ${mailboxFor("expired-password")}),`,
    "or by local part, <scenario>@<any domain>; the service account's local part works the same way. Anything else is healthy.",
    `Switch one address at runtime: curl -X PUT '${sim.httpUrl}/__sim/scenario?address=<mailbox>&scenario=<name>'`,
    "",
    "Scenarios:",
    ...Object.entries(SCENARIOS).map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
    "",
    "Try it:",
    `  npm run -s sim -- --ca-out /tmp/sim-ca.pem   # then, in another shell:`,
    `  PROBE_PASSWORD='${sim.password}' npm run -s probe -- --service-account svc@contoso.test --target ${mailboxFor("healthy")} \\`,
    `    --ews-url ${sim.ewsUrl} --allow-host ${sim.allowedHosts[1]} --ca-file /tmp/sim-ca.pem --json`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

const stop = async () => {
  await Promise.all([sim.close(), dns?.close()]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
