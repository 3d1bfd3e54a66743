"use server";

import { redirect } from "next/navigation";
import { fail, staffAction } from "@/lib/actions/safe";
import type { ActionState } from "@/lib/actions/state";
import { consume } from "@/lib/auth/rate-limit";
import { reauthenticate } from "@/lib/auth/staff";
import { closeIncident, exceptMember, recordAppRotation, remindRest } from "@/lib/incidents/manage";
import { notifyPending } from "@/lib/incidents/notify";
import { IncidentError, openIncident } from "@/lib/incidents/open";
import { reviewIncident, type IncidentReview } from "@/lib/incidents/review";
import { appendEvent, type Actor } from "@/lib/onboarding/store";
import { closeIncidentSchema, exceptMemberSchema, incidentDraftSchema, incidentIdSchema, openIncidentSchema, recordAppRotationSchema } from "@/lib/validation/incident";
import type { StaffSession } from "@/lib/auth/staff";

/**
 * Security incidents (issue 21). Every action is TechOps only (staffAction role), same-origin, validated by the
 * form's schema, and audited by the use case it calls. Opening one also needs a fresh password + TOTP check.
 */
const techops = { role: "techops" } as const;
const actorOf = (s: StaffSession): Actor => ({ kind: "techops", id: s.staff.id, label: s.staff.name });

function incidentFail(error: unknown): ActionState<never> {
  if (error instanceof IncidentError) return fail(error.code === "not_found" ? "incident_not_found" : error.code);
  throw error;
}

export const reviewIncidentAction = staffAction(
  incidentDraftSchema,
  async (draft, { db }): Promise<ActionState<IncidentReview>> => ({ status: "success", data: await reviewIncident(db, draft) }),
  techops,
);

export const openIncidentAction = staffAction(
  openIncidentSchema,
  async (form, { staff, db }): Promise<ActionState> => {
    if (!(await consume(db, "revealPerStaff", staff.staff.id)).ok) return fail("rate_limited");
    const actor = actorOf(staff);
    if (!(await reauthenticate(db, staff.staff.id, form.password, form.code))) {
      await appendEvent(db, { onboardingId: null, type: "incident_open_refused", actor, reason: "re-authentication failed", details: { name: form.name } });
      return fail("reauth_failed");
    }
    let id: string;
    try {
      ({ id } = await openIncident(db, { name: form.name, reason: form.reason, selection: form.selection, dueDays: form.dueDays, reminderEveryHours: form.reminderEveryHours }, actor, { expectedCount: form.expectedCount }));
    } catch (error) {
      return incidentFail(error);
    }
    // The batches run here; should this process die, the incidents job finishes the pending members.
    await notifyPending(db, id);
    redirect(`/staff/incidents/${id}`);
  },
  techops,
);

export const remindIncidentAction = staffAction(
  incidentIdSchema,
  async ({ incidentId }, { staff, db }): Promise<ActionState> => {
    try {
      const { reminded } = await remindRest(db, incidentId, actorOf(staff));
      return { status: "success", message: `Reminder queued for ${reminded} brokerage${reminded === 1 ? "" : "s"}.` };
    } catch (error) {
      return incidentFail(error);
    }
  },
  techops,
);

export const exceptMemberAction = staffAction(
  exceptMemberSchema,
  async (form, { staff, db }): Promise<ActionState> => {
    try {
      await exceptMember(db, form, actorOf(staff));
      return { status: "success", message: "Exception recorded." };
    } catch (error) {
      return incidentFail(error);
    }
  },
  techops,
);

export const recordAppRotationAction = staffAction(
  recordAppRotationSchema,
  async (form, { staff, db }): Promise<ActionState> => {
    try {
      const n = await recordAppRotation(db, form, actorOf(staff));
      return { status: "success", message: `Recorded for ${n} app-access brokerage${n === 1 ? "" : "s"}.` };
    } catch (error) {
      return incidentFail(error);
    }
  },
  techops,
);

export const closeIncidentAction = staffAction(
  closeIncidentSchema,
  async (form, { staff, db }): Promise<ActionState> => {
    try {
      await closeIncident(db, form, actorOf(staff));
      return { status: "success", message: "Incident closed." };
    } catch (error) {
      return incidentFail(error);
    }
  },
  techops,
);
