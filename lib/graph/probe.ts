import "server-only";
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { config } from "@/lib/config";
import { checkUrl, type GuardPolicy, type Resolver } from "@/lib/exchange/address-guard";
import { failure, ProbeError, type Failure } from "@/lib/exchange/failures";
import { HttpClient, type RecordedExchange } from "@/lib/exchange/http-client";
import { PROBE_DEFAULTS, type ProbeResult } from "@/lib/exchange/probe";
import { renderLog } from "@/lib/exchange/render-log";
import { createSecretScrubber } from "@/lib/exchange/secrets";
import { finishSummary, ProbeRun } from "@/lib/exchange/probe-run";
import { StepBook } from "@/lib/exchange/step-book";
import { GRAPH_STAGE_IDS, type GraphStageId, type ProbeStep } from "@/lib/exchange/steps";
import { graphCall, type GraphAnswer, type GraphContext } from "./graph-api";
import { isGuid, mailboxProblem, parseCertificate, parseTenant, privateKeyForms, type TenantRef } from "./input";
import { checkTenant, type TenantCheck } from "./tenant";
import { acquireGraphToken, type TokenCredential, type TokenOutcome } from "./token";

/**
 * The Microsoft Graph app-access test: input checks → tenant (OpenID configuration: it exists, and is the
 * consented one) → token (msal-node, client credentials) → Graph reachable → in the test mailbox: read
 * contacts, create+delete a contact, read today's calendar view, create+delete an event without attendees,
 * optionally send one message to itself → a mailbox that must stay out of reach must be refused.
 * Like the EWS test (lib/exchange/probe.ts) it never throws for anything a server does, never runs past its
 * deadline, can be cancelled, and returns the same ProbeResult with an RCA-style log.
 */
export type GraphProbeInput = {
  /** The tenant ID (GUID) or one of the tenant's domains. */
  tenant: string;
  clientId: string;
  credential: { kind: "secret"; clientSecret: string } | { kind: "certificate"; certificatePem: string; privateKeyPem: string };
  testMailbox: string;
  /** A mailbox outside the RBAC scope (e.g. the admin's own): it must be refused. */
  outOfScopeMailbox?: string;
  /** Sends one message from the test mailbox to itself; only when the person running the test ticks it. */
  sendTestMail?: boolean;
  /** The tenant that granted consent: the tenant value must resolve to it. */
  expectedTenantId?: string;
};

export type GraphProbeOptions = {
  /** Default MICROSOFT_AUTHORITY_HOST (https://login.microsoftonline.com); may carry a path prefix. */
  authorityHost?: string;
  /** Default MICROSOFT_GRAPH_URL (https://graph.microsoft.com); may carry a path prefix. */
  graphUrl?: string;
  /** host or host:port entries that may be private/loopback; default EXCHANGE_ALLOWED_HOSTS. */
  allowedHosts?: string[];
  /** PEM of an extra CA to trust (the simulator's); default the file in EXCHANGE_EXTRA_CA_FILE. */
  extraCaPem?: string;
  deadlineMs?: number;
  signal?: AbortSignal;
  onStep?: (step: ProbeStep) => void;
  perRequestTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Replaces DNS resolution (tests). */
  resolve?: Resolver;
};

export const GRAPH_LOG_TITLE = "Microsoft Graph app-access test (MoxiEngage onboarding probe)";
export const TEST_MAIL_SUBJECT = "MoxiEngage connection test — you can delete this message";
const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
const DEFAULT_GRAPH_URL = "https://graph.microsoft.com";
/** Application permissions that, granted tenant-wide in Entra, open every mailbox whatever the RBAC scope. */
const TENANT_WIDE_MAILBOX_ROLE = /^(Contacts|Calendars|Mail|MailboxSettings|MailboxFolder|MailboxItem)\.|^full_access_as_app$|^EWS\./i;

export function tenantWideMailboxRoles(roles: string[]): string[] {
  return roles.filter((r) => TENANT_WIDE_MAILBOX_ROLE.test(r));
}

function titles(input: { testMailbox: string; outOfScopeMailbox?: string; tenant: string }) {
  const m = input.testMailbox;
  return {
    input: "Attempting to check the test input.",
    tenant: `Attempting to look up the Microsoft 365 tenant ${input.tenant} (OpenID configuration).`,
    token: "Attempting to obtain an app-only access token for Microsoft Graph from Microsoft Entra ID.",
    graph: "Attempting to reach Microsoft Graph with the token.",
    "contacts-read": `Attempting to read the contacts of ${m} through Microsoft Graph.`,
    "contacts-write": `Attempting to create and delete a contact in ${m}.`,
    "calendar-read": `Attempting to read today's calendar view of ${m}.`,
    "calendar-write": `Attempting to create and delete an event without attendees in the calendar of ${m}.`,
    "send-mail": `Attempting to send one test message from ${m} to itself.`,
    "out-of-scope": `Attempting to read the contacts of ${input.outOfScopeMailbox ?? "a mailbox that must stay out of reach"}, which must be refused.`,
    summary: "Attempting to summarise the test.",
  } satisfies Record<GraphStageId, string>;
}

/** The base URL as configured: no trailing slash; https (or an allow-listed host); no query, fragment or user. */
function baseUrl(raw: string, what: string, policy: GuardPolicy): string {
  const url = checkUrl(raw.trim(), policy);
  if (url.search || url.hash) throw new ProbeError("url_not_allowed", `The ${what} ${url.origin} must not carry a query or fragment.`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function connectionDetails(x: RecordedExchange | undefined): string[] {
  if (!x) return [];
  const out = [`Connected to ${new URL(x.url).host}${x.remoteAddress ? ` at ${x.remoteAddress}` : ""}${x.timings.reusedConnection ? " (reused connection)" : ""}.`];
  if (x.tls) out.push(`TLS ${x.tls.protocol ?? ""}: the certificate was verified for the host name.`.replace("TLS :", "TLS:"));
  return out;
}

function todayWindow(now = new Date()): { start: string; end: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const end = new Date(start.getTime() + 24 * 3600 * 1000);
  return { start: start.toISOString().replace(/\.000Z$/, "Z"), end: end.toISOString().replace(/\.000Z$/, "Z") };
}

function eventTimes(now = new Date()): { start: string; end: string } {
  // Late tonight (UTC), 15 minutes, marked free: nobody is invited and it is deleted at once.
  const { start } = todayWindow(now);
  const s = new Date(Date.parse(start) + (23 * 60 + 30) * 60 * 1000);
  const e = new Date(s.getTime() + 15 * 60 * 1000);
  const local = (d: Date) => d.toISOString().slice(0, 19);
  return { start: local(s), end: local(e) };
}

/** An item id as a path segment: percent-encoded, but "=" (base64 padding, a legal path character) kept as is. */
function itemSegment(id: string): string {
  return encodeURIComponent(id).replace(/%3D/gi, "=");
}

const TEST_NOTE = "Created by the MoxiEngage onboarding connection test and deleted by it straight away.";

export async function runGraphProbe(input: GraphProbeInput, options: GraphProbeOptions = {}): Promise<ProbeResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const deadlineMs = options.deadlineMs ?? PROBE_DEFAULTS.deadlineMs;
  const deadlineAt = Date.now() + deadlineMs;
  const perRequestTimeoutMs = Math.min(options.perRequestTimeoutMs ?? PROBE_DEFAULTS.perRequestTimeoutMs, deadlineMs);
  const secrets: string[] = [];
  const cred = input?.credential as Partial<GraphProbeInput["credential"]> | undefined;
  if (cred?.kind === "secret" && typeof cred.clientSecret === "string") secrets.push(cred.clientSecret);
  if (cred?.kind === "certificate" && typeof cred.privateKeyPem === "string") secrets.push(...privateKeyForms(cred.privateKeyPem));
  const scrubber = createSecretScrubber(secrets);
  const book = new StepBook(options.onStep, scrubber.deep);
  const probeRun = new ProbeRun(deadlineMs, options.signal);

  const shown = {
    tenant: typeof input?.tenant === "string" ? input.tenant.trim().slice(0, 253) : "(none)",
    testMailbox: typeof input?.testMailbox === "string" ? input.testMailbox.trim().slice(0, 254) : "(none)",
    outOfScopeMailbox: typeof input?.outOfScopeMailbox === "string" ? input.outOfScopeMailbox.trim().slice(0, 254) : undefined,
  };
  const t = titles(shown);
  let client: HttpClient | undefined;
  const failures = new Map<GraphStageId, Failure>();
  const fail = (stage: GraphStageId, f: Failure) => {
    if (!failures.has(stage)) failures.set(stage, f);
  };
  let tenantId: string | undefined;
  let credentialFact = "";

  const work = async (): Promise<void> => {
    // 1. Input: everything checked before any URL is built.
    const inputStep = book.start("input", t.input);
    const refuse = (message: string) => {
      const f = failure("invalid_input", message);
      book.finish(inputStep, "failed", message, { failure: f });
      fail("input", f);
    };
    const tenant = parseTenant(input?.tenant);
    if (!tenant.ok) return refuse(tenant.message);
    if (typeof input.clientId !== "string" || !isGuid(input.clientId.trim())) return refuse("The app's client ID must be a GUID, like 5f6c3e2a-8d1b-4c7e-9a2f-0b3d4e5f6a7b.");
    const clientId = input.clientId.trim().toLowerCase();
    if (input.expectedTenantId !== undefined && (typeof input.expectedTenantId !== "string" || !isGuid(input.expectedTenantId.trim()))) {
      return refuse("The consented tenant ID must be a GUID.");
    }
    const expectedTenantId = input.expectedTenantId?.trim().toLowerCase();
    let credential: TokenCredential;
    if (cred?.kind === "secret") {
      const s = cred.clientSecret;
      if (typeof s !== "string" || s.length === 0) return refuse("Enter the app's client secret (its value, not its ID).");
      if (s.length > 1024) return refuse("The client secret is too long: at most 1024 characters.");
      if (/[\x00-\x1f\x7f\u2028\u2029]/.test(s)) return refuse("The client secret contains a line break or another control character, probably picked up when pasting.");
      credential = { kind: "secret", clientSecret: s };
      credentialFact = "Credential: client secret";
    } else if (cred?.kind === "certificate") {
      if (typeof cred.certificatePem !== "string" || typeof cred.privateKeyPem !== "string") return refuse("The certificate credential needs a PEM certificate and its PEM private key.");
      if (cred.certificatePem.length > 64 * 1024 || cred.privateKeyPem.length > 64 * 1024) return refuse("The certificate or private key is too long: at most 64 KiB each.");
      const parsed = parseCertificate(cred.certificatePem, cred.privateKeyPem);
      if (!parsed.ok) return refuse(parsed.message);
      for (const s of privateKeyForms(parsed.credential.privateKey)) scrubber.add(s);
      credential = { kind: "certificate", certificate: parsed.credential };
      credentialFact = `Credential: certificate ${parsed.credential.subject}, SHA-256 thumbprint ${parsed.credential.thumbprintSha256.toUpperCase()}, valid until ${parsed.credential.notAfter.toISOString().slice(0, 10)}`;
    } else {
      return refuse('The credential must be {kind: "secret", clientSecret} or {kind: "certificate", certificatePem, privateKeyPem}.');
    }
    const testProblem = mailboxProblem(input.testMailbox, "test mailbox");
    if (testProblem) return refuse(testProblem);
    const testMailbox = input.testMailbox.trim().toLowerCase();
    let outOfScope: string | undefined;
    if (input.outOfScopeMailbox !== undefined && input.outOfScopeMailbox !== "") {
      const p = mailboxProblem(input.outOfScopeMailbox, "out-of-reach mailbox");
      if (p) return refuse(p);
      outOfScope = input.outOfScopeMailbox.trim().toLowerCase();
      if (outOfScope === testMailbox) return refuse("The out-of-reach mailbox must be a different mailbox from the test mailbox: one the app must not be able to open.");
    }
    let allowedHosts = options.allowedHosts;
    let extraCaPem = options.extraCaPem;
    let authorityHostRaw = options.authorityHost;
    let graphUrlRaw = options.graphUrl;
    try {
      const needConfig = allowedHosts === undefined || extraCaPem === undefined || authorityHostRaw === undefined || graphUrlRaw === undefined;
      const c = needConfig ? (config() as ReturnType<typeof config> & { microsoftGraphUrl?: string }) : undefined;
      allowedHosts ??= c!.exchangeAllowedHosts;
      authorityHostRaw ??= c!.microsoftAuthorityHost ?? DEFAULT_AUTHORITY_HOST;
      graphUrlRaw ??= c!.microsoftGraphUrl ?? DEFAULT_GRAPH_URL;
      const caFile = extraCaPem === undefined ? c!.exchangeExtraCaFile : undefined;
      if (caFile) extraCaPem = await readFile(caFile, "utf8");
    } catch {
      const f = failure("internal_error", "The test could not start: this server's Microsoft 365 test settings could not be read. This is a problem on MoxiWorks's side, not yours: contact MoxiWorks onboarding.");
      book.finish(inputStep, "failed", f.message, { failure: f });
      return fail("input", f);
    }
    const policy: GuardPolicy = { allowedHosts: allowedHosts!, resolve: options.resolve };
    let authorityHost: string;
    let graphUrl: string;
    try {
      authorityHost = baseUrl(authorityHostRaw!, "authority host", policy);
      graphUrl = baseUrl(graphUrlRaw!, "Graph URL", policy);
    } catch (e) {
      return refuse(e instanceof ProbeError ? e.message : "The authority host or Graph URL is not valid.");
    }
    book.finish(inputStep, "passed", "The tenant, app, credential and mailboxes are present and well-formed; the Microsoft hosts are allowed.", {
      details: [
        `Tenant: ${tenant.tenant.value}${tenant.tenant.kind === "id" ? " (tenant ID)" : " (domain)"}`,
        `App (client ID): ${clientId}`,
        credentialFact,
        `Test mailbox: ${testMailbox}`,
        outOfScope ? `Out-of-reach mailbox: ${outOfScope}` : "Out-of-reach mailbox: none named (the scope is not checked).",
        `Send a test message: ${input.sendTestMail ? "yes" : "no"}`,
        `Authority host: ${authorityHost}`,
        `Graph URL: ${graphUrl}`,
      ],
    });

    client = new HttpClient({
      policy,
      extraCaPem,
      perRequestTimeoutMs,
      maxBodyBytes: options.maxBodyBytes ?? PROBE_DEFAULTS.maxBodyBytes,
      signal: probeRun.signal,
      scrubber,
    });

    // 2–3. Tenant and token. With the tenant's GUID known (given, or the consented one) they run side by side.
    const tokenFor = tenant.tenant.kind === "id" ? tenant.tenant.value : expectedTenantId;
    const tenantStep = book.start("tenant", t.tenant);
    const runToken = (id: string) => acquireGraphToken(client!, { authorityHost, tenant: id, clientId, credential });
    let tokenStep: ProbeStep | undefined;
    let tokenPromise: Promise<TokenOutcome> | undefined;
    if (tokenFor) {
      tokenStep = book.start("token", t.token);
      tokenPromise = runToken(tokenFor);
    }
    const tenantCheck = await checkTenant(client, authorityHost, tenant.tenant as TenantRef, expectedTenantId);
    finishTenant(tenantStep, tenantCheck);
    if (!tenantCheck.ok) {
      fail("tenant", tenantCheck.failure);
      if (tokenStep && tokenPromise) {
        const tok = await tokenPromise;
        book.finish(tokenStep, "skipped", "Not judged: the tenant check failed.", { http: tok.exchanges });
      }
      return;
    }
    tenantId = tenantCheck.tenantId;
    tokenStep ??= book.start("token", t.token);
    const token = await (tokenPromise ?? runToken(tenantCheck.tenantId));
    for (const x of token.exchanges) if (x.status !== undefined && x.status < 300) x.bodyExcerpt = undefined; // the token itself
    if (!token.ok) {
      book.finish(tokenStep, "failed", token.failure.message, { failure: token.failure, http: token.exchanges });
      return fail("token", token.failure);
    }
    scrubber.add(token.accessToken);
    if (token.tid && token.tid !== tenantCheck.tenantId) {
      const f = failure("token_failed", `Entra issued a token for tenant ${token.tid}, not for ${tenantCheck.tenantId}; the test does not trust it.`);
      book.finish(tokenStep, "failed", f.message, { failure: f, http: token.exchanges });
      return fail("token", f);
    }
    const broad = tenantWideMailboxRoles(token.roles);
    book.finish(tokenStep, "passed", `Entra issued an app-only token for Microsoft Graph to app ${clientId} in tenant ${tenantCheck.tenantId}.`, {
      details: [
        ...connectionDetails(token.exchanges[0]),
        token.expiresOn ? `The token is valid until ${token.expiresOn.toISOString()}.` : "",
        token.roles.length ? `Application permissions in the token: ${token.roles.join(", ")}.` : "The token carries no tenant-wide application permissions (mailbox access comes only from RBAC for Applications).",
      ].filter(Boolean),
      http: token.exchanges,
    });

    // 4–10. Graph. Every mailbox stage runs at once; the per-mailbox gate keeps at most 4 calls in flight.
    const graphStep = book.start("graph", t.graph);
    const retries: string[] = [];
    const ctx: GraphContext = {
      client,
      graphUrl,
      accessToken: token.accessToken,
      signal: probeRun.signal,
      deadlineAt,
      onRetry: (wait, x) => retries.push(`${x.method} ${x.url.split("?")[0]}: HTTP ${x.status}, waited ${wait} ms (Retry-After) and tried again.`),
    };
    // Graph is reachable once any call has had an HTTP answer other than 401 (the token refused); the stage
    // finishes then, while the mailbox stages go on. If no call gets an answer, it fails with the first reason.
    const answers: GraphAnswer[] = [];
    const judgeGraph = (a: GraphAnswer) => {
      const answered = a.exchanges.find((x) => x.status !== undefined);
      if (!answered || graphStep.status !== "running") return;
      if (answered.status === 401 && !a.ok) {
        book.finish(graphStep, "failed", a.failure.message, { failure: a.failure, details: connectionDetails(answered) });
        return fail("graph", a.failure);
      }
      book.finish(graphStep, "passed", `Microsoft Graph at ${graphUrl} answered.`, { details: [...connectionDetails(answered), ...retries] });
    };
    const call = async (c: Parameters<typeof graphCall>[1]) => {
      const a = await graphCall(ctx, c);
      answers.push(a);
      judgeGraph(a);
      return a;
    };
    const stageSteps = new Map<GraphStageId, ProbeStep>();
    const open = (id: GraphStageId) => {
      const s = book.start(id, t[id]);
      stageSteps.set(id, s);
      return s;
    };
    const settle = (step: ProbeStep, id: GraphStageId, answers: GraphAnswer[], passed: string, failedPrefix = "") => {
      const http = answers.flatMap((a) => a.exchanges);
      const bad = answers.find((a) => !a.ok);
      if (bad && !bad.ok) {
        const f = { ...bad.failure, message: `${failedPrefix}${bad.failure.message}` };
        book.finish(step, "failed", f.message, { failure: f, http });
        fail(id, f);
      } else {
        book.finish(step, "passed", passed, { http });
      }
    };

    const contactsRead = async () => {
      const step = open("contacts-read");
      const a = await call({ method: "GET", mailbox: testMailbox, path: "/contacts", query: { $top: "1", $select: "id" }, purpose: "contacts-read" });
      settle(step, "contacts-read", [a], `Read the contacts of ${testMailbox}.`);
    };
    const contactsWrite = async () => {
      const step = open("contacts-write");
      const created = await call({
        method: "POST",
        mailbox: testMailbox,
        path: "/contacts",
        body: { givenName: "MoxiEngage", surname: "Connection test", personalNotes: TEST_NOTE, emailAddresses: [{ address: "connection-test@moxiengage.invalid", name: "MoxiEngage connection test" }] },
        purpose: "contacts-create",
      });
      const id = created.ok && typeof created.json?.id === "string" ? created.json.id : undefined;
      if (created.ok && !id) return settle(step, "contacts-write", [{ ok: false, failure: failure("invalid_response", "Graph created the contact but did not return its id."), exchanges: created.exchanges }], "");
      if (!id) return settle(step, "contacts-write", [created], "");
      const deleted = await call({ method: "DELETE", mailbox: testMailbox, path: `/contacts/${itemSegment(id)}`, purpose: "contacts-delete" });
      settle(step, "contacts-write", [created, deleted], `Created a contact in ${testMailbox} and deleted it again.`, deleted.ok ? "" : "The test contact was created but could not be deleted; delete \"MoxiEngage Connection test\" by hand. ");
    };
    const calendarRead = async () => {
      const step = open("calendar-read");
      const day = todayWindow();
      const a = await call({ method: "GET", mailbox: testMailbox, path: "/calendarView", query: { startDateTime: day.start, endDateTime: day.end, $top: "1", $select: "id" }, purpose: "calendar-read" });
      settle(step, "calendar-read", [a], `Read the calendar of ${testMailbox} for ${day.start.slice(0, 10)} (UTC).`);
    };
    const calendarWrite = async () => {
      const step = open("calendar-write");
      const when = eventTimes();
      const created = await call({
        method: "POST",
        mailbox: testMailbox,
        path: "/events",
        body: {
          subject: "MoxiEngage connection test (deleted automatically)",
          body: { contentType: "text", content: TEST_NOTE },
          start: { dateTime: when.start, timeZone: "UTC" },
          end: { dateTime: when.end, timeZone: "UTC" },
          showAs: "free",
          isReminderOn: false,
          attendees: [],
        },
        purpose: "calendar-create",
      });
      const id = created.ok && typeof created.json?.id === "string" ? created.json.id : undefined;
      if (created.ok && !id) return settle(step, "calendar-write", [{ ok: false, failure: failure("invalid_response", "Graph created the event but did not return its id."), exchanges: created.exchanges }], "");
      if (!id) return settle(step, "calendar-write", [created], "");
      const deleted = await call({ method: "DELETE", mailbox: testMailbox, path: `/events/${itemSegment(id)}`, purpose: "calendar-delete" });
      settle(step, "calendar-write", [created, deleted], `Created an event without attendees in the calendar of ${testMailbox} and deleted it again.`, deleted.ok ? "" : "The test event was created but could not be deleted; delete it by hand. ");
    };
    const sendMail = async () => {
      const step = open("send-mail");
      const a = await call({
        method: "POST",
        mailbox: testMailbox,
        path: "/sendMail",
        body: {
          message: {
            subject: TEST_MAIL_SUBJECT,
            body: { contentType: "text", content: "This message was sent by the MoxiEngage onboarding connection test, from this mailbox to itself, to check that MoxiEngage may send mail for it. Nothing else was sent." },
            toRecipients: [{ emailAddress: { address: testMailbox } }],
          },
          saveToSentItems: true,
        },
        purpose: "send-mail",
      });
      settle(step, "send-mail", [a], `Sent "${TEST_MAIL_SUBJECT}" from ${testMailbox} to itself.`);
    };
    const outOfReach = async () => {
      const step = open("out-of-scope");
      const a = await call({ method: "GET", mailbox: outOfScope!, path: "/contacts", query: { $top: "1", $select: "id" }, purpose: "out-of-scope" });
      if (!a.ok && a.failure.code === "app_access_denied") {
        return book.finish(step, "passed", `Microsoft Graph refused access to ${outOfScope}, as it must: the app's reach stops at the RBAC scope.`, { http: a.exchanges });
      }
      if (a.ok) {
        const f = failure(
          "app_scope_too_broad",
          `The app could read the contacts of ${outOfScope}, which must stay out of reach. RBAC for Applications grants add to the app's Entra permissions: ` +
            "if Contacts.ReadWrite, Calendars.ReadWrite, Mail.Send (or any Mail.*) application permission was granted tenant-wide in Entra, every mailbox is open whatever the management scope. " +
            "Remove those application permissions from the app's Enterprise application (Entra admin center → Enterprise applications → the app → Permissions → revoke), " +
            `then check with Test-ServicePrincipalAuthorization -Identity ${clientId} -Resource ${outOfScope} that InScope is False; also check that ${outOfScope} is not a member of the scoped group.`,
        );
        book.finish(step, "failed", f.message, { failure: f, http: a.exchanges });
        return fail("out-of-scope", f);
      }
      const f = { ...a.failure, message: `Could not show that ${outOfScope} is out of reach: ${a.failure.message}` };
      book.finish(step, "failed", f.message, { failure: f, http: a.exchanges });
      fail("out-of-scope", f);
    };

    const tasks = [contactsRead(), contactsWrite(), calendarRead(), calendarWrite()];
    if (input.sendTestMail === true) tasks.push(sendMail());
    if (outOfScope) tasks.push(outOfReach());
    await Promise.all(tasks);
    // Reads allowed and writes refused is one specific mistake: the read-only roles were assigned.
    for (const [read, write, role] of [
      ["contacts-read", "contacts-write", "Application Contacts.ReadWrite"],
      ["calendar-read", "calendar-write", "Application Calendars.ReadWrite"],
    ] as const) {
      const w = stageSteps.get(write);
      const f = failures.get(write);
      if (stageSteps.get(read)?.status === "passed" && w?.status === "failed" && f?.code === "app_access_denied") {
        const hint = ` Reading works but writing is refused: the role assignment is probably a read-only role; assign ${role} to the app on the same scope.`;
        f.message += hint;
        w.result += hint;
        if (w.failure) w.failure.message = f.message;
      }
    }
    if (graphStep.status === "running") {
      const first = answers.find((a) => !a.ok);
      const f = first && !first.ok ? first.failure : failure("internal_error", "No Graph call was made.");
      book.finish(graphStep, "failed", f.message, { failure: f, http: answers[0]?.exchanges.slice(0, 1) });
      fail("graph", f);
    }
    if (retries.length) graphStep.details.push(...retries.filter((r) => !graphStep.details.includes(r)));
    if (!outOfScope) book.skip("out-of-scope", t["out-of-scope"], "Not run: no mailbox that must stay out of reach was named.");
    if (broad.length && !failures.has("out-of-scope")) {
      const f = failure(
        "app_scope_too_broad",
        `The token carries tenant-wide application permissions (${broad.join(", ")}): they open every mailbox in the tenant whatever the RBAC scope. Remove them from the app's Enterprise application in Entra and grant mailbox access only through RBAC for Applications.`,
      );
      const s = stageSteps.get("out-of-scope");
      if (s && s.status === "passed") Object.assign(s, { status: "failed", result: f.message, failure: f });
      fail("out-of-scope", f);
    }
  };

  function finishTenant(step: ProbeStep, check: TenantCheck) {
    if (check.ok) book.finish(step, "passed", check.summary, { details: check.details, http: check.exchanges });
    else book.finish(step, "failed", check.failure.message, { failure: check.failure, http: check.exchanges, details: check.details });
  }

  await probeRun.stages<GraphStageId>(book, work, fail, () => client?.close());
  const failedStage = GRAPH_STAGE_IDS.find((id) => failures.has(id));
  const finalFailure = failedStage ? failures.get(failedStage) : undefined;
  for (const id of GRAPH_STAGE_IDS) {
    if (id === "summary") continue;
    const why =
      id === "send-mail" && input?.sendTestMail !== true
        ? "Not run: sending a test message was not asked for."
        : failedStage
          ? `Not run: the test stopped at the ${failedStage} stage.`
          : "Not run.";
    book.skip(id, t[id], why);
  }
  // Steps in log order (the mailbox stages start together; the log reads in stage order).
  book.steps.sort((a, b) => GRAPH_STAGE_IDS.indexOf(a.id as GraphStageId) - GRAPH_STAGE_IDS.indexOf(b.id as GraphStageId));
  const what = ["read and write its contacts and calendar", input?.sendTestMail ? "send mail as it" : ""].filter(Boolean).join(", and ");
  const scope = shown.outOfScopeMailbox ? `, and cannot open ${shown.outOfScopeMailbox}` : "";
  finishSummary(book, t.summary, failedStage ? { stage: failedStage, failure: finalFailure! } : undefined, `The app can reach ${shown.testMailbox} through Microsoft Graph, ${what}${scope}.`);

  const steps = scrubber.deep(book.steps);
  const facts = [`Tenant: ${shown.tenant}${tenantId && tenantId !== shown.tenant.toLowerCase() ? ` (${tenantId})` : ""}`];
  if (typeof input?.clientId === "string") facts.push(`App (client ID): ${input.clientId.trim().slice(0, 64)}`);
  if (credentialFact) facts.push(credentialFact);
  if (shown.outOfScopeMailbox) facts.push(`Out-of-reach mailbox: ${shown.outOfScopeMailbox}`);
  const heading = { title: GRAPH_LOG_TITLE, facts, testMailbox: shown.testMailbox, startedAt };
  return {
    outcome: failedStage ? "failed" : "passed",
    failedStage,
    failure: finalFailure && scrubber.deep(finalFailure),
    steps,
    log: scrubber.text(renderLog(steps, scrubber.deep(heading))),
    startedAt,
    elapsedMs: Math.round(performance.now() - started),
    roundTrips: client?.roundTrips ?? 0,
  };
}
