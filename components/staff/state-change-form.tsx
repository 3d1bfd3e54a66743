"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea } from "@/components/ui/field";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

const selectClass = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900";

/**
 * Moves the onboarding to a state staff may choose by hand (the lifecycle module decides which). A reason is
 * always asked for: it goes into the timeline and the audit log.
 */
export function StateChangeForm({ onboardingId, action, targets }: { onboardingId: string; action: Action; targets: { value: string; label: string; hint: string }[] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  // After a change the page re-renders with the new state's options (maybe none): the result stays on screen.
  if (targets.length === 0)
    return (
      <div className="space-y-2">
        <FormMessage state={state} />
        <p>No change can be made by hand in this state.</p>
      </div>
    );
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="onboardingId" value={onboardingId} />
      <Field id="state-to" label="New state" errors={errors.to}>
        {(d, invalid) => (
          <select id="state-to" name="to" aria-describedby={d} aria-invalid={invalid || undefined} className={selectClass} defaultValue={targets[0]?.value}>
            {targets.map((t) => (
              <option key={t.value} value={t.value}>{t.label} — {t.hint}</option>
            ))}
          </select>
        )}
      </Field>
      <Field id="state-reason" label="Reason" hint="Kept in the timeline and the audit log." errors={errors.reason}>
        {(d, invalid) => <TextArea id="state-reason" name="reason" rows={2} maxLength={1000} describedBy={d} invalid={invalid} />}
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending}>Change state</Button>
    </form>
  );
}
