import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { childDatabaseEnv, TSX_ARGS } from "@/lib/testing/child-database";
import { simForChildProcesses } from "@/lib/testing/sim-for-children";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, onboardingIn, STAFF } from "@/lib/credentials/testing/fixtures";
import { listOutbox } from "@/lib/mail/outbox";
import { getOnboarding, listEvents, transition } from "@/lib/onboarding/store";
import { resumeStaleVerifications } from "./workflow";

/**
 * Issue 17 item 4: a process that dies while it verifies must not leave the onboarding in `verifying` and its
 * run `running` for good. A real child process verifies against a hung tenant and is SIGKILLed mid-probe; a
 * second process then runs the resume job as the scheduler would once the lease is stale.
 */
const execFileP = promisify(execFile);
const children = simForChildProcesses("crash");
const sim = () => children.sim();

function childEnv(extra: Record<string, string>) {
  return children.childEnv({ SIM_CA_PEM: sim().caPem, SIM_ALLOWED_HOSTS: sim().allowedHosts.join(","), ...extra });
}

/** Starts the verifying child and resolves once its probe is in flight (its first step started). */
function startVerifyingChild(env: NodeJS.ProcessEnv) {
  const child = spawn("npx", [...TSX_ARGS, "lib/verification/testing/verify-child.ts"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let err = "";
  child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => { if (d.toString().includes("started")) resolve(); });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before its probe started: ${err}`)));
  });
  return { child, started };
}

describeEachDatabase("a verification whose process is killed", (handle) => {
  it("is ended as interrupted by the resume job and the submission verified again; nothing stays running", async () => {
    const { db } = handle();
    const id = await onboardingIn(db, "in_progress");
    const mailbox = `crash-${handle().dialect}@acme.test`;
    sim().setScenarioFor(mailbox, "hung");
    await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim().password, testMailbox: mailbox, ewsUrl: sim().ewsUrl, track: "exchange-server" });

    const env = childEnv({ ...childDatabaseEnv(handle()), ONBOARDING_ID: id });
    const { child, started } = startVerifyingChild(env);
    await started;
    const exited = new Promise((r) => child.on("exit", r));
    // The whole process group: npx → tsx → node; a crash takes every one of them.
    process.kill(-child.pid!, "SIGKILL");
    await exited;

    // What the crash leaves behind (before the fix this stayed so for good).
    expect((await getOnboarding(db, id))?.state).toBe("verifying");
    const [killed] = await db.selectFrom("test_runs").selectAll().where("onboarding_id", "=", id).execute();
    expect(killed).toMatchObject({ status: "running", outcome: null });

    // The tenant recovers; another instance's scheduler runs the resume job once the lease is stale.
    sim().setScenarioFor(mailbox, null);
    const { stdout } = await execFileP("npx", [...TSX_ARGS, "lib/jobs/testing/tick-child.ts"], { env: { ...env, TICK_JOBS: "resume-verification", TICK_OFFSET_MS: String(5 * 60_000) }, timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ ran: ["resume-verification"] });

    const runs = await db.selectFrom("test_runs").select(["id", "status", "outcome", "finished_at"]).where("onboarding_id", "=", id).orderBy("started_at").execute();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ id: killed!.id, status: "interrupted", outcome: null });
    expect(runs[0]!.finished_at).toBeTruthy();
    expect(runs[1]).toMatchObject({ status: "finished", outcome: "passed" });
    expect((await getOnboarding(db, id))?.state).toBe("verified");
    const events = await listEvents(db, id);
    expect(events.find((e) => e.type === "verification_ended")).toMatchObject({ fromState: "verifying", toState: "submitted", details: { reason: "interrupted" } });
    expect(events.some((e) => e.type === "test_run" && e.details.outcome === "interrupted")).toBe(true);
    // An interrupted run is no verdict: the brokerage hears only the real outcome.
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template)).toEqual(["verified"]);
    const lease = await db.selectFrom("onboardings").select(["verification_holder", "verification_lease_until"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(lease).toEqual({ verification_holder: null, verification_lease_until: null });
  }, 120_000);

  it("a staff re-verification whose process stopped goes back where it came from (needs attention, verified), unmailed and not re-run", async () => {
    const { db } = handle();
    for (const from of ["needs_attention", "verified"] as const) {
      const id = await onboardingIn(db, from);
      const mailBefore = (await listOutbox(db, { onboardingId: id })).length;
      // What a staff re-verify leaves when its process dies: `verifying` with no live lease (none was renewed).
      await transition(db, id, "verifying", STAFF, { details: { trigger: "staff" } });
      const report = await resumeStaleVerifications(db, new Date(Date.now() + 5 * 60_000));
      expect(report.ended, from).toContain(id);
      expect(report.resumed, from).not.toContain(id);
      expect((await getOnboarding(db, id))?.state, from).toBe(from);
      expect((await listEvents(db, id)).findLast((e) => e.toState), from).toMatchObject({ type: "verification_ended", fromState: "verifying", toState: from, details: { reason: "interrupted" } });
      expect((await listOutbox(db, { onboardingId: id })).length, from).toBe(mailBefore);
      expect(await db.selectFrom("test_runs").select("id").where("onboarding_id", "=", id).execute(), from).toEqual([]);
    }
  }, 60_000);

  it("stops resuming an onboarding whose runs were interrupted three times in a row (a crash loop)", async () => {
    const { db } = handle();
    const interruptedRuns = async (id: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const at = new Date(Date.now() - (10 - i) * 60_000).toISOString();
        await db.insertInto("test_runs").values({ id: `crash-${id}-${i}`, onboarding_id: id, credential_id: null, trigger: "submission", actor_kind: "system", actor_label: "t", status: "interrupted", outcome: null, failed_stage: null, primary_cause: null, service_account: "svc@acme.test", test_mailbox: "m@acme.test", steps: "[]", log: "", findings: "[]", started_at: at, finished_at: at, elapsed_ms: null, heartbeat_at: at }).execute();
      }
    };
    const submitted = async (n: number) => {
      const id = await onboardingIn(db, "in_progress");
      await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim().password, testMailbox: `loop-${n}@acme.test`, ewsUrl: sim().ewsUrl, track: "exchange-server" });
      await interruptedRuns(id, n);
      return id;
    };
    const twice = await submitted(2);
    const thrice = await submitted(3);
    const { JOBS, tick } = await import("@/lib/jobs/scheduler");
    await tick({ db, holder: "parent", now: new Date(Date.now() + 10 * 60_000) }, JOBS.filter((j) => j.name === "resume-verification"));
    const runs = async (id: string) => (await db.selectFrom("test_runs").select("status").where("onboarding_id", "=", id).execute()).length;
    expect(await runs(twice)).toBe(3); // resumed: a fresh run (its outcome does not matter here)
    expect(await runs(thrice)).toBe(3); // left alone
    expect((await getOnboarding(db, thrice))?.state).toBe("submitted");
  }, 60_000);
});
