// What both connection-test CLIs (scripts/probe.ts for EWS, scripts/probe-graph.ts for Graph) print once the
// test has run: the JSON of DESIGN §11 with --json, else the log and one outcome line. Exit 0 whatever the outcome.
import type { GuidanceTrack } from "@/lib/diagnosis/guidance";
import { diagnoseProbe } from "@/lib/diagnosis/diagnose-probe";
import type { ProbeResult } from "@/lib/exchange/probe";

export type ProbeOutputOptions = {
  json: boolean;
  track: GuidanceTrack;
  /** The Graph CLI also names the typed failure (`failure` in the JSON, its code in the outcome line). */
  withFailure?: boolean;
};

/** The JSON object the CLI prints: the fields in this order (tests and scripts read them). */
export function probeJson(result: ProbeResult, track: GuidanceTrack, withFailure = false) {
  const diagnosis = diagnoseProbe(result, { track });
  return {
    outcome: result.outcome,
    primaryCause: diagnosis.primaryCause,
    failedStage: result.failedStage ?? null,
    ...(withFailure ? { failure: result.failure ?? null } : {}),
    steps: result.steps,
    log: result.log,
    findings: diagnosis.findings,
    elapsedMs: result.elapsedMs,
    roundTrips: result.roundTrips,
  };
}

export function printProbeResult(result: ProbeResult, options: ProbeOutputOptions): never {
  const out = probeJson(result, options.track, options.withFailure);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const failedAt = result.failedStage ? ` (failed at ${result.failedStage}${options.withFailure ? `: ${result.failure?.code}` : ""})` : "";
    process.stdout.write(result.log);
    process.stdout.write(`\nOutcome: ${result.outcome}${failedAt}; likely cause: ${out.primaryCause ?? "none"}\n`);
  }
  process.exit(0);
}
