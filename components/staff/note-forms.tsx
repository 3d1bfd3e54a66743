"use client";

import { useActionState, useRef } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea } from "@/components/ui/field";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

/** A server action whose form empties itself once the note is saved. */
function useResettingAction(action: Action) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState(async (prev: ActionState, data: FormData) => {
    const result = await action(prev, data);
    if (result.status === "success") formRef.current?.reset();
    return result;
  }, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  return { formRef, state, formAction, pending, errors };
}

const selectClass = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900";

/** Records a conversation with the brokerage or vendor (phone call, email, meeting) in the timeline. */
export function ContactNoteForm({ onboardingId, action, channels }: { onboardingId: string; action: Action; channels: { value: string; label: string }[] }) {
  const { formRef, state, formAction, pending, errors } = useResettingAction(action);
  return (
    <form ref={formRef} action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="onboardingId" value={onboardingId} />
      <Field id="contact-channel" label="How were you in touch?" errors={errors.channel}>
        {(d, invalid) => (
          <select id="contact-channel" name="channel" defaultValue="email" aria-describedby={d} aria-invalid={invalid || undefined} className={selectClass}>
            {channels.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        )}
      </Field>
      <Field id="contact-note" label="What was said or agreed" errors={errors.note}>
        {(d, invalid) => <TextArea id="contact-note" name="note" rows={3} maxLength={4000} describedBy={d} invalid={invalid} />}
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>Record contact</Button>
    </form>
  );
}

/** An internal note for colleagues; never shown to the brokerage or vendor. */
export function StaffNoteForm({ onboardingId, action }: { onboardingId: string; action: Action }) {
  const { formRef, state, formAction, pending, errors } = useResettingAction(action);
  return (
    <form ref={formRef} action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="onboardingId" value={onboardingId} />
      <Field id="staff-note" label="Note for colleagues" hint="Only MoxiWorks staff see this. Never paste passwords." errors={errors.note}>
        {(d, invalid) => <TextArea id="staff-note" name="note" rows={3} maxLength={4000} describedBy={d} invalid={invalid} />}
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>Add note</Button>
    </form>
  );
}
