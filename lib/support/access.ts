import "server-only";
import type { Kysely, Transaction } from "kysely";
import { config } from "@/lib/config";
import type { KeyRing } from "@/lib/crypto/keyring";
import type { AccessRequestsTable, Database } from "@/lib/db/schema";
import { newId, nowIso } from "@/lib/db/ids";
import { inTransaction } from "@/lib/db/transaction";
import type { ErrorCode } from "@/lib/errors";
import { credentialKeyRing } from "@/lib/crypto/app-key-ring";
import type { RevealedCredential } from "@/lib/credentials/reveal";
import { CredentialStoreError, newestRow, openSealedRow } from "@/lib/credentials/store";
import { enqueueMail } from "@/lib/mail/outbox";
import { mailTemplates } from "@/lib/mail/templates";
import { appendEvent, getOnboarding, type Actor } from "@/lib/onboarding/store";
import type { AccessMode } from "@/lib/validation/support";

/**
 * Support access with the brokerage's approval (issue 24; the seed: "with customer approval, limited support
 * personnel on an as-needed basis"). A staff member (never TechOps: they have break-glass) asks for one
 * onboarding's credential with a reason and a duration; the brokerage contact answers in its workspace;
 * the approval is checked again at the moment of reveal. Every step is an event in the audit log, and every
 * reveal — TechOps ones too — is a row the brokerage sees. Nothing here ever holds the secret.
 *
 * Expiry needs no job: the effective status is computed from the stored dates at every read, so a request
 * nobody answered, or an approval whose period is over, reads "expired" the moment its time passes.
 */

/** How long a request waits for an answer before it expires on its own. */
export const REQUEST_TTL_MS = 24 * 60 * 60 * 1000;

export type AccessStatus = "requested" | "approved" | "declined" | "revoked" | "expired" | "used";
export type AccessErrorCode = Extract<
  ErrorCode,
  | "access_unknown"
  | "access_pending"
  | "access_declined"
  | "access_revoked"
  | "access_expired"
  | "access_used"
  | "access_answered"
  | "access_techops"
  | "access_open"
  | "access_brokerage_only"
  | "no_credential"
  | "not_found"
>;

export class AccessError extends Error {
  constructor(readonly code: AccessErrorCode) {
    super(code);
    this.name = "AccessError";
  }
}

export type AccessRequest = {
  id: string;
  onboardingId: string;
  staffId: string;
  staffLabel: string;
  reason: string;
  durationHours: number;
  status: AccessStatus;
  mode: AccessMode | null;
  requestedAt: string;
  requestExpiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  approvedUntil: string | null;
  revokedAt: string | null;
  usedAt: string | null;
};

export type CredentialRevealRecord = {
  id: string;
  staffLabel: string;
  role: "techops" | "staff";
  reason: string;
  requestId: string | null;
  revealedAt: string;
};

type Db = Kysely<Database> | Transaction<Database>;
type StaffCaller = { id: string; name: string; role: "staff" | "techops" };
/** The workspace visitor answering (a LinkSession's fields). */
type LinkCaller = { onboardingId: string; kind: "brokerage" | "vendor"; label: string; actor: Actor };

/** The status as of `now`: stored answers stand, but time turns a pending request or an approval into "expired". */
export function effectiveStatus(row: Pick<AccessRequestsTable, "status" | "request_expires_at" | "approved_until">, now: string): AccessStatus {
  if (row.status === "requested" && row.request_expires_at <= now) return "expired";
  if (row.status === "approved" && (!row.approved_until || row.approved_until <= now)) return "expired";
  return row.status as AccessStatus;
}

function toRequest(row: AccessRequestsTable, now: string): AccessRequest {
  return {
    id: row.id,
    onboardingId: row.onboarding_id,
    staffId: row.staff_id,
    staffLabel: row.staff_label,
    reason: row.reason,
    durationHours: row.duration_minutes / 60,
    status: effectiveStatus(row, now),
    mode: (row.mode as AccessMode | null) ?? null,
    requestedAt: row.requested_at,
    requestExpiresAt: row.request_expires_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    approvedUntil: row.approved_until,
    revokedAt: row.revoked_at,
    usedAt: row.used_at,
  };
}

const staffActor = (s: StaffCaller): Actor => ({ kind: s.role, id: s.id, label: s.name });

export async function requestAccess(
  db: Kysely<Database>,
  input: { onboardingId: string; staff: StaffCaller; reason: string; durationHours: number },
  options: { now?: Date; ring?: KeyRing } = {},
): Promise<AccessRequest> {
  if (input.staff.role === "techops") throw new AccessError("access_techops");
  if (!Number.isInteger(input.durationHours) || input.durationHours < 1 || input.durationHours > 24) throw new RangeError("durationHours must be 1..24");
  const now = options.now ?? new Date();
  const at = now.toISOString();
  return inTransaction(db, async (trx) => {
    const onboarding = await getOnboarding(trx, input.onboardingId);
    if (!onboarding || onboarding.state === "revoked") throw new AccessError("not_found");
    if (!(await newestRow(trx, input.onboardingId))) throw new AccessError("no_credential");
    // One open request or approval per person and brokerage: the brokerage answers one question at a time.
    const open = await trx
      .selectFrom("access_requests")
      .selectAll()
      .where("onboarding_id", "=", input.onboardingId)
      .where("staff_id", "=", input.staff.id)
      .where("status", "in", ["requested", "approved"])
      .execute();
    if (open.some((r) => ["requested", "approved"].includes(effectiveStatus(r, at)))) throw new AccessError("access_open");
    const row: AccessRequestsTable = {
      id: newId(),
      onboarding_id: input.onboardingId,
      staff_id: input.staff.id,
      staff_label: input.staff.name,
      reason: input.reason,
      duration_minutes: input.durationHours * 60,
      status: "requested",
      mode: null,
      requested_at: at,
      request_expires_at: new Date(now.getTime() + REQUEST_TTL_MS).toISOString(),
      decided_at: null,
      decided_by: null,
      approved_until: null,
      revoked_at: null,
      used_at: null,
    };
    await trx.insertInto("access_requests").values(row).execute();
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "support_access_requested",
      actor: staffActor(input.staff),
      reason: input.reason,
      details: { requestId: row.id, durationHours: input.durationHours },
      at,
    });
    // Names, reason and duration only; the link to the workspace is the brokerage's own (it has it).
    await enqueueMail(
      trx,
      {
        to: onboarding.contactEmail,
        template: "support_access_requested",
        onboardingId: onboarding.id,
        message: mailTemplates.supportAccessRequested({
          brokerage: onboarding.brokerageName,
          staffName: input.staff.name,
          reason: input.reason,
          durationHours: input.durationHours,
          workspaceUrl: `${config().appUrl}/o`,
        }),
      },
      options.ring,
    );
    return toRequest(row, at);
  });
}

/** One request of the visitor's own onboarding, or "unknown" — another brokerage's request does not exist for it. */
async function requestOfVisitor(db: Db, requestId: string, visitor: LinkCaller): Promise<AccessRequestsTable> {
  if (visitor.kind !== "brokerage") throw new AccessError("access_brokerage_only");
  const row = await db.selectFrom("access_requests").selectAll().where("id", "=", requestId).where("onboarding_id", "=", visitor.onboardingId).executeTakeFirst();
  if (!row) throw new AccessError("access_unknown");
  return row;
}

export async function answerAccess(
  db: Kysely<Database>,
  input: { requestId: string; visitor: LinkCaller } & ({ decision: "approve"; mode: AccessMode } | { decision: "decline" }),
  options: { now?: Date } = {},
): Promise<AccessRequest> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  return inTransaction(db, async (trx) => {
    const row = await requestOfVisitor(trx, input.requestId, input.visitor);
    const status = effectiveStatus(row, at);
    if (status === "expired") throw new AccessError("access_expired");
    if (status !== "requested") throw new AccessError("access_answered");
    const patch =
      input.decision === "approve"
        ? { status: "approved", mode: input.mode, approved_until: new Date(now.getTime() + row.duration_minutes * 60_000).toISOString() }
        : { status: "declined" };
    // Conditional on the status still being "requested": two answers at once, only one lands.
    const result = await trx
      .updateTable("access_requests")
      .set({ ...patch, decided_at: at, decided_by: input.visitor.label })
      .where("id", "=", row.id)
      .where("status", "=", "requested")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AccessError("access_answered");
    await appendEvent(trx, {
      onboardingId: row.onboarding_id,
      type: input.decision === "approve" ? "support_access_approved" : "support_access_declined",
      actor: input.visitor.actor,
      details: { requestId: row.id, staff: row.staff_label, ...(input.decision === "approve" ? { mode: input.mode, until: patch.approved_until } : {}) },
      at,
    });
    const updated = await trx.selectFrom("access_requests").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    return toRequest(updated, at);
  });
}

/** The brokerage withdraws an approval in force (or a pending request it no longer wants to answer). */
export async function revokeAccess(db: Kysely<Database>, input: { requestId: string; visitor: LinkCaller }, options: { now?: Date } = {}): Promise<AccessRequest> {
  const at = (options.now ?? new Date()).toISOString();
  return inTransaction(db, async (trx) => {
    const row = await requestOfVisitor(trx, input.requestId, input.visitor);
    const status = effectiveStatus(row, at);
    if (status === "expired") throw new AccessError("access_expired");
    if (status !== "approved" && status !== "requested") throw new AccessError("access_answered");
    const result = await trx
      .updateTable("access_requests")
      .set({ status: "revoked", revoked_at: at })
      .where("id", "=", row.id)
      .where("status", "=", row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AccessError("access_answered");
    await appendEvent(trx, {
      onboardingId: row.onboarding_id,
      type: "support_access_revoked",
      actor: input.visitor.actor,
      details: { requestId: row.id, staff: row.staff_label },
      at,
    });
    return toRequest({ ...row, status: "revoked", revoked_at: at }, at);
  });
}

const REFUSAL: Record<Exclude<AccessStatus, "approved">, AccessErrorCode> = {
  requested: "access_pending",
  declined: "access_declined",
  revoked: "access_revoked",
  expired: "access_expired",
  used: "access_used",
};

/** Writes the reveal row the brokerage sees (TechOps break-glass and support alike). */
export async function recordReveal(
  db: Db,
  input: { onboardingId: string; staff: StaffCaller; reason: string; requestId: string | null; credentialId: string; at?: string },
) {
  await db
    .insertInto("credential_reveals")
    .values({
      id: newId(),
      onboarding_id: input.onboardingId,
      staff_id: input.staff.id,
      staff_label: input.staff.name,
      role: input.staff.role,
      reason: input.reason,
      request_id: input.requestId,
      credential_id: input.credentialId,
      revealed_at: input.at ?? nowIso(),
    })
    .execute();
}

/**
 * Opens the credential for a staff member with an approval in force, checked again now: expired, declined,
 * revoked, used or still pending → a typed refusal. A single-use approval is spent by a conditional update in
 * the same transaction as the reveal record and audit event, so two reveals at once cannot both pass; the
 * records are committed before the password is returned. Re-authentication is the server action's job.
 */
export async function revealWithApproval(
  db: Kysely<Database>,
  input: { onboardingId: string; requestId: string; staff: StaffCaller; reason: string },
  options: { now?: Date; ring?: KeyRing } = {},
): Promise<RevealedCredential> {
  if (input.staff.role === "techops") throw new AccessError("access_techops");
  const at = (options.now ?? new Date()).toISOString();
  const ring = options.ring ?? credentialKeyRing();
  let found = false;
  const work = inTransaction(db, async (trx) => {
    const request = await trx
      .selectFrom("access_requests")
      .selectAll()
      .where("id", "=", input.requestId)
      .where("onboarding_id", "=", input.onboardingId)
      .where("staff_id", "=", input.staff.id)
      .executeTakeFirst();
    if (!request) throw new AccessError("access_unknown");
    found = true;
    const status = effectiveStatus(request, at);
    if (status !== "approved") throw new AccessError(REFUSAL[status]);
    const row = await newestRow(trx, input.onboardingId);
    if (!row) throw new CredentialStoreError("no_credential");
    const opened = openSealedRow(row, ring);
    if (request.mode === "single-use") {
      const spent = await trx
        .updateTable("access_requests")
        .set({ status: "used", used_at: at })
        .where("id", "=", request.id)
        .where("status", "=", "approved")
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) throw new AccessError("access_used");
    }
    await recordReveal(trx, { onboardingId: input.onboardingId, staff: input.staff, reason: input.reason, requestId: request.id, credentialId: row.id, at });
    await appendEvent(trx, {
      onboardingId: input.onboardingId,
      type: "credential_revealed",
      actor: staffActor(input.staff),
      reason: input.reason,
      details: { credentialId: row.id, serviceAccount: row.service_account, requestId: request.id, approval: request.mode },
      at,
    });
    return { row, opened };
  });
  let result: Awaited<typeof work>;
  try {
    result = await work;
  } catch (error) {
    // A refused reveal on a real request is audited too (after the rollback); an unknown id names no onboarding of the caller.
    if (error instanceof AccessError && found) {
      await appendEvent(db, {
        onboardingId: input.onboardingId,
        type: "credential_reveal_refused",
        actor: staffActor(input.staff),
        reason: input.reason,
        details: { why: error.code, requestId: input.requestId },
      });
    }
    throw error;
  }
  const { row, opened } = result;
  return { credentialId: row.id, serviceAccount: opened.serviceAccount, testMailbox: opened.testMailbox, password: opened.password, passwordSetAt: row.created_at };
}

/** What the brokerage's "Access to your credentials" panel shows: every request and every reveal, newest first. */
export async function listAccessForOnboarding(db: Db, onboardingId: string, options: { now?: Date } = {}) {
  const at = (options.now ?? new Date()).toISOString();
  const requests = await db.selectFrom("access_requests").selectAll().where("onboarding_id", "=", onboardingId).orderBy("requested_at", "desc").orderBy("id", "desc").execute();
  const reveals = await db.selectFrom("credential_reveals").selectAll().where("onboarding_id", "=", onboardingId).orderBy("revealed_at", "desc").orderBy("id", "desc").execute();
  return {
    requests: requests.map((r) => toRequest(r, at)),
    reveals: reveals.map(
      (r): CredentialRevealRecord => ({ id: r.id, staffLabel: r.staff_label, role: r.role === "techops" ? "techops" : "staff", reason: r.reason, requestId: r.request_id, revealedAt: r.revealed_at }),
    ),
  };
}

/** One staff member's own requests for an onboarding (the staff detail page). */
export async function listAccessForStaff(db: Db, onboardingId: string, staffId: string, options: { now?: Date } = {}): Promise<AccessRequest[]> {
  const at = (options.now ?? new Date()).toISOString();
  const rows = await db
    .selectFrom("access_requests")
    .selectAll()
    .where("onboarding_id", "=", onboardingId)
    .where("staff_id", "=", staffId)
    .orderBy("requested_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => toRequest(r, at));
}
