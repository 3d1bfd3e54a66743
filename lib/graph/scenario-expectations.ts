import type { FailureCode } from "@/lib/exchange/failures";
import type { GraphStageId } from "@/lib/exchange/steps";
import { isMailboxScenario, m365MailboxFor, tenantFor, type M365ScenarioName } from "@/tools/exchange-sim/m365-scenarios";

/**
 * What a correct Graph test concludes for each simulator scenario when it runs the way verification does
 * (tenant by its GUID, the consented tenant given, an out-of-reach mailbox named, no test mail), and the fewest
 * sequential HTTP round trips that verdict needs: the OpenID configuration and the token go side by side (1),
 * the mailbox reads and creates side by side (1), then the deletes (1). Used by lib/graph/probe.test.ts and
 * bench/verdict.ts (throttled-once: whichever call comes first is throttled; when it is a read, the verdict needs
 * no more round trips than healthy, plus the 1 s Retry-After). A Record over every scenario name, so a new simulator scenario must say what it expects.
 */
export type GraphExpectation = {
  outcome: "passed" | "failed";
  failedStage?: GraphStageId;
  failure?: FailureCode;
  /** Must match the failed step's result (or the summary for passes). */
  evidence: RegExp;
  /** Sequential round trips the verdict needs; null where the verdict is bound by a timeout or Retry-After. */
  minRoundTrips: number | null;
  /** Waiting the verdict cannot avoid (Retry-After), in ms. */
  minWaitMs?: number;
  credential?: "certificate";
};

export const GRAPH_EXPECTED: Record<M365ScenarioName, GraphExpectation> = {
  healthy: { outcome: "passed", evidence: /can reach .* through Microsoft Graph, read and write its contacts and calendar, and cannot open/, minRoundTrips: 3 },
  "tenant-not-found": { outcome: "failed", failedStage: "tenant", failure: "tenant_not_found", evidence: /AADSTS90002/, minRoundTrips: 1 },
  "app-not-in-tenant": { outcome: "failed", failedStage: "token", failure: "app_not_found", evidence: /AADSTS700016/, minRoundTrips: 1 },
  "consent-missing": { outcome: "failed", failedStage: "token", failure: "consent_required", evidence: /AADSTS65001/, minRoundTrips: 1 },
  "bad-secret": { outcome: "failed", failedStage: "token", failure: "client_secret_invalid", evidence: /AADSTS7000215/, minRoundTrips: 1 },
  "expired-secret": { outcome: "failed", failedStage: "token", failure: "client_secret_expired", evidence: /AADSTS7000222/, minRoundTrips: 1 },
  "bad-certificate": { outcome: "failed", failedStage: "token", failure: "certificate_invalid", evidence: /AADSTS700027/, minRoundTrips: 1, credential: "certificate" },
  "conditional-access": { outcome: "failed", failedStage: "token", failure: "conditional_access", evidence: /AADSTS53003/, minRoundTrips: 1 },
  "hung-token": { outcome: "failed", failedStage: "token", failure: "timeout", evidence: /did not send a complete answer within/, minRoundTrips: null },
  "tenant-wide-grant": { outcome: "failed", failedStage: "out-of-scope", failure: "app_scope_too_broad", evidence: /could read the contacts of admin@/, minRoundTrips: 2 },
  "no-role-assignment": { outcome: "failed", failedStage: "contacts-read", failure: "app_access_denied", evidence: /403 ErrorAccessDenied/, minRoundTrips: 2 },
  "read-only-roles": { outcome: "failed", failedStage: "contacts-write", failure: "app_access_denied", evidence: /403 ErrorAccessDenied/, minRoundTrips: 2 },
  "mailbox-not-enabled": { outcome: "failed", failedStage: "contacts-read", failure: "mailbox_not_enabled", evidence: /MailboxNotEnabledForRESTAPI/, minRoundTrips: 2 },
  "no-such-mailbox": { outcome: "failed", failedStage: "contacts-read", failure: "mailbox_not_found", evidence: /ErrorInvalidUser/, minRoundTrips: 2 },
  throttled: { outcome: "failed", failedStage: "contacts-read", failure: "throttled", evidence: /ApplicationThrottled/, minRoundTrips: null },
  "throttled-once": { outcome: "passed", evidence: /can reach .* through Microsoft Graph/, minRoundTrips: 3, minWaitMs: 1000 },
};

/** The tenant domain and mailboxes a scenario is run with: tenant scenarios by tenant, mailbox scenarios by mailbox. */
export function scenarioTarget(scenario: M365ScenarioName): { domain: string; testMailbox: string; outOfScopeMailbox: string } {
  if (isMailboxScenario(scenario)) {
    const domain = tenantFor("healthy");
    return { domain, testMailbox: m365MailboxFor(scenario, domain), outOfScopeMailbox: `admin@${domain}` };
  }
  const domain = tenantFor(scenario);
  return { domain, testMailbox: `agent@${domain}`, outOfScopeMailbox: `admin@${domain}` };
}
