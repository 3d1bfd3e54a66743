import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, pgProblem, TEST_PG_URL } from "@/lib/testing/databases";
import type { DatabaseHandle } from "@/lib/db/connect";
import { simForChildProcesses } from "@/lib/testing/sim-for-children";
import { submitCredential } from "@/lib/credentials/store";
import { BROKERAGE, onboardingIn } from "@/lib/credentials/testing/fixtures";
import { verifyOnboarding } from "@/lib/verification/workflow";
import { getOnboarding } from "@/lib/onboarding/store";
import { listOutbox } from "@/lib/mail/outbox";

const run = promisify(execFile);
const children = simForChildProcesses("sched");
const sim = () => children.sim();

let handle: DatabaseHandle;
beforeAll(async () => {
  if (!pgProblem || process.env.CI) handle = await openTestDatabase("postgres");
});
afterAll(async () => {
  await handle?.close();
});

// Postgres only (the point is several instances on one server); skipped like the other Postgres tests off CI.
describe.skipIf(Boolean(pgProblem) && !process.env.CI)("scheduled re-verification across app instances", () => {
  it("two processes sharing Postgres run the job once, flag the expired password and alert staff", async () => {
    const { db } = handle;
    const schema = handle.description.match(/schema (\w+)/)![1]!;
    const id = await onboardingIn(db, "in_progress");
    const mailbox = "nightly@acme.test";
    await submitCredential(db, { onboardingId: id, actor: BROKERAGE, serviceAccount: "svc-moxi@acme.test", password: sim().password, testMailbox: mailbox, ewsUrl: sim().ewsUrl, track: "exchange-server" });
    await verifyOnboarding(db, id, "submission", undefined, { probeOptions: { allowedHosts: sim().allowedHosts, extraCaPem: sim().caPem } });
    expect((await getOnboarding(db, id))?.state).toBe("verified");

    sim().setScenarioFor(mailbox, "expired-password");
    const env = children.childEnv({ TEST_PG_URL, TEST_PG_SCHEMA: schema });
    const child = () => run("npx", ["tsx", "--conditions=react-server", "--tsconfig", "tsconfig.json", "lib/jobs/testing/tick-child.ts"], { env, timeout: 60_000 });
    const outputs = await Promise.all([child(), child()]);
    const ran = outputs.map((o) => (JSON.parse(o.stdout.trim().split("\n").pop()!) as { ran: string[] }).ran);
    expect(ran.flat()).toEqual(["reverify"]);

    const scheduled = await db.selectFrom("test_runs").select(["outcome", "primary_cause"]).where("onboarding_id", "=", id).where("trigger", "=", "scheduled").execute();
    expect(scheduled).toEqual([{ outcome: "failed", primary_cause: "password_expired" }]);
    expect((await getOnboarding(db, id))?.state).toBe("needs_attention");
    expect((await listOutbox(db, { onboardingId: id })).map((m) => m.template).sort()).toEqual(["needs_attention", "staff_alert", "verified"]);
  }, 90_000);
});
