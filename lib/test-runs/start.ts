import "server-only";
import type { Kysely } from "kysely";
import { currentLinkSession, currentStaff } from "@/lib/auth/request";
import { consume } from "@/lib/auth/rate-limit";
import { getAppAccess } from "@/lib/app-access/consent";
import { graphProbeFor, promoteIfPassed } from "@/lib/app-access/lifecycle";
import { saveOwnAppIds } from "@/lib/app-access/own-app";
import type { ConnectionDetails } from "@/lib/validation/credentials";
import { openLatestCredentialForProbe } from "@/lib/credentials/store";
import type { Database } from "@/lib/db/schema";
import { messageFor, type ErrorCode } from "@/lib/errors";
import type { ProbeStep } from "@/lib/exchange/steps";
import { log } from "@/lib/log";
import { getOnboarding, type Actor } from "@/lib/onboarding/store";
import { verifyOnboarding } from "@/lib/verification/workflow";
import type { TestStreamEvent } from "./events";
import type { RunOptions, TestRunRequest } from "./request";
import { runTest, type RunTestInput } from "./run";

export type StartedTestRun =
  | { ok: true; run: (send: (event: TestStreamEvent) => void) => Promise<void> }
  | { ok: false; code: ErrorCode; retryAfterSeconds?: number };

const REVERIFIABLE = ["submitted", "needs_attention", "verified"];

/**
 * Starting a test run for whoever asks: a workspace visitor (brokerage or vendor, their own onboarding, typed-in
 * details or the app-access test; the brokerage also the saved ones) or signed-in staff (any onboarding, saved
 * details only — for a graph_app onboarding, its Graph test). The
 * checks run before anything streams; `run` then tests and reports each step. The saved credential is
 * decrypted once, here, and handed on — staff re-running saved details re-verify (the outcome moves the
 * onboarding like a submission's test).
 */
export async function startTestRun(
  db: Kysely<Database>,
  request: { target: TestRunRequest; options: RunOptions; signal?: AbortSignal },
): Promise<StartedTestRun> {
  const { target } = request;
  const useSaved = "useSaved" in target;
  let onboardingId: string;
  let actor: Actor;
  let client: string;
  const staff = await currentStaff();
  const visitor = staff ? undefined : await currentLinkSession();
  if (staff?.secondFactorDone && useSaved && target.onboardingId) {
    onboardingId = target.onboardingId;
    actor = { kind: staff.staff.role, id: staff.staff.id, label: staff.staff.name };
    client = `staff:${staff.staff.id}`;
  } else if (visitor) {
    onboardingId = visitor.onboardingId;
    actor = visitor.actor;
    client = `link:${visitor.linkId}`;
    if (useSaved && visitor.kind !== "brokerage") return { ok: false, code: "saved_brokerage_only" };
  } else {
    return { ok: false, code: "link_session_ended" };
  }
  const onboarding = await getOnboarding(db, onboardingId);
  if (!onboarding || onboarding.state === "revoked") return { ok: false, code: "not_found" };

  for (const [name, key] of [["testPerOnboarding", onboardingId], ["testPerClient", client]] as const) {
    const limit = await consume(db, name, key);
    if (!limit.ok) return { ok: false, code: "tests_rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  }

  // What to test: typed-in EWS details; the app-access form's mailboxes (a Graph test of the consent given); or
  // what is saved — for a graph_app onboarding its consent and submitted scope, else the newest credential.
  let probe: ConnectionDetails | undefined;
  let graph: RunTestInput["graph"];
  let saved: Awaited<ReturnType<typeof openLatestCredentialForProbe>>;
  let ownCertificateId: string | undefined;
  if ("appAccess" in target) {
    const own = (await getAppAccess(db, onboardingId)).registration === "own";
    // The brokerage's own app: the tenant and client ID tested are kept (the form's next visit shows them).
    if (own && target.tenant && target.clientId) await saveOwnAppIds(db, onboardingId, actor, { tenant: target.tenant, clientId: target.clientId });
    const found = await graphProbeFor(db, onboardingId, { ...target, sendTestMail: request.options.sendTestMessage });
    if (!found) return { ok: false, code: own ? "own_app_details_required" : "consent_required" };
    graph = found;
    ownCertificateId = found.certificateId;
  } else if (useSaved && (await getAppAccess(db, onboardingId)).method === "graph_app") {
    graph = await graphProbeFor(db, onboardingId);
    if (!graph) return { ok: false, code: "no_saved_credential" };
  } else if (useSaved) {
    saved = await openLatestCredentialForProbe(db, onboardingId);
    if (!saved) return { ok: false, code: "no_saved_credential" };
    probe = saved.input;
  } else {
    probe = target;
  }

  const probeOptions = { sendTestMessage: request.options.sendTestMessage };
  const verifiable = Boolean(staff && useSaved && REVERIFIABLE.includes(onboarding.state));
  return {
    ok: true,
    run: async (send) => {
      try {
        const onStep = (step: ProbeStep) => send({ type: "step", step });
        const run = verifiable
          ? await verifyOnboarding(db, onboardingId, "staff", actor, { signal: request.signal, onStep, probeOptions, saved })
          : await runTest(db, { onboardingId, trigger: staff ? "staff" : "manual", actor, probe, graph, credentialId: saved?.credentialId ?? null, signal: request.signal, onStep, probeOptions });
        // A pass with the brokerage's newest certificate makes it the one in use (rollover without downtime).
        if (run) await promoteIfPassed(db, onboardingId, ownCertificateId, run.outcome, actor);
        if (!run) throw new Error("nothing to verify");
        send({ type: "done", run: { id: run.id, outcome: run.outcome, failedStage: run.failedStage, primaryCause: run.primaryCause, findings: run.findings, elapsedMs: run.elapsedMs } });
      } catch (error) {
        log.error({ err: error, onboardingId }, "test run failed to run");
        send({ type: "error", message: messageFor("test_failed_to_run") });
      }
    },
  };
}
