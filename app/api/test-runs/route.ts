import { currentLinkSession, currentStaff } from "@/lib/auth/request";
import { consume } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db";
import { isSameOriginRequest } from "@/lib/http/origin";
import { log } from "@/lib/log";
import { getOnboarding, type Actor } from "@/lib/onboarding/store";
import { connectionFieldErrors, MAX_TEST_REQUEST_BYTES, splitRunOptions, testRunRequestSchema } from "@/lib/test-runs/request";
import { runTest } from "@/lib/test-runs/run";
import { verifyOnboarding } from "@/lib/verification/workflow";
import type { ProbeStep } from "@/lib/exchange/steps";
import { openLatestCredentialForProbe } from "@/lib/credentials/store";

export const dynamic = "force-dynamic";

function refuse(status: number, code: string, message: string) {
  return Response.json({ type: "error", code, message }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * Runs the impersonation test and streams its steps as NDJSON while it runs. Callers: a workspace visitor
 * (brokerage or vendor, for their own onboarding) or signed-in staff (for any onboarding, saved details only).
 */
export async function POST(request: Request) {
  if (!isSameOriginRequest(request.headers)) return refuse(403, "cross_site", "This request did not come from this site.");
  const raw = await request.text();
  if (raw.length > MAX_TEST_REQUEST_BYTES) return refuse(413, "too_large", "The request is too large.");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return refuse(400, "invalid_json", "The request is not valid JSON.");
  }
  const split = splitRunOptions(json);
  if (!split) return refuse(400, "invalid_input", "The request is not valid.");
  const parsed = testRunRequestSchema.safeParse(split.target);
  if (!parsed.success) {
    const fieldErrors = connectionFieldErrors(split.target);
    const message = fieldErrors ? "Some details need your attention." : "The request is not valid.";
    return Response.json({ type: "error", code: "invalid_input", message, fieldErrors }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  const body = parsed.data;
  const probeOptions = { sendTestMessage: split.options.sendTestMessage };

  const database = await db();
  let onboardingId: string;
  let actor: Actor;
  let client: string;
  const staff = await currentStaff();
  const visitor = staff ? undefined : await currentLinkSession();
  if (staff?.secondFactorDone && "useSaved" in body && body.onboardingId) {
    onboardingId = body.onboardingId;
    actor = { kind: staff.staff.role, id: staff.staff.id, label: staff.staff.name };
    client = `staff:${staff.staff.id}`;
  } else if (visitor) {
    onboardingId = visitor.onboardingId;
    actor = visitor.actor;
    client = `link:${visitor.linkId}`;
    if ("useSaved" in body && visitor.kind !== "brokerage") return refuse(403, "forbidden", "Only the brokerage can test the saved details.");
  } else {
    return refuse(401, "not_signed_in", "Your session has ended. Open your link again.");
  }
  const onboarding = await getOnboarding(database, onboardingId);
  if (!onboarding || onboarding.state === "revoked") return refuse(404, "not_found", "We could not find that onboarding.");

  for (const [name, key] of [["testPerOnboarding", onboardingId], ["testPerClient", client]] as const) {
    const limit = await consume(database, name, key);
    if (!limit.ok) {
      return Response.json(
        { type: "error", code: "rate_limited", message: `Too many tests in a short time. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minute(s).` },
        { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds), "Cache-Control": "no-store" } },
      );
    }
  }

  const saved = "useSaved" in body ? await openLatestCredentialForProbe(database, onboardingId) : undefined;
  if ("useSaved" in body && !saved) return refuse(409, "no_saved_credential", "There are no saved details to test yet.");
  const probe = saved?.input ?? ("useSaved" in body ? undefined : body);
  if (!probe) return refuse(409, "no_saved_credential", "There are no saved details to test yet.");

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: unknown) => {
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          /* the browser went away; the test still finishes and is stored */
        }
      };
      try {
        const onStep = (step: ProbeStep) => send({ type: "step", step });
        // Staff re-running the saved details re-verify: the outcome moves the onboarding like a submission's test.
        const verifiable = staff && saved && ["submitted", "needs_attention", "verified"].includes(onboarding.state);
        const run = verifiable
          ? await verifyOnboarding(database, onboardingId, "staff", actor, { signal: request.signal, onStep, probeOptions })
          : await runTest(database, { onboardingId, trigger: staff ? "staff" : "manual", actor, probe, credentialId: saved?.credentialId ?? null, signal: request.signal, onStep, probeOptions });
        if (!run) throw new Error("nothing to verify");
        send({ type: "done", run: { id: run.id, outcome: run.outcome, failedStage: run.failedStage, primaryCause: run.primaryCause, findings: run.findings, elapsedMs: run.elapsedMs } });
      } catch (error) {
        log.error({ err: error, onboardingId }, "test run failed to run");
        send({ type: "error", message: "The test could not be run. Please try again." });
      } finally {
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      }
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}
