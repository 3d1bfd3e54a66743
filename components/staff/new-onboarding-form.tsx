"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { useSubmitKeepingFields } from "@/components/ui/keep-fields";

type Created = { url: string; onboardingId?: string };
type Action = (s: ActionState<Created>, f: FormData) => Promise<ActionState<Created>>;

const LABELS = {
  brokerageName: "Brokerage name",
  contactName: "Contact's name",
  contactEmail: "Contact's email address",
  notes: "Notes (optional)",
  track: "Mail system (optional)",
};

const selectClass = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900";

/**
 * Creates an onboarding and its brokerage invite link. The link is shown once, here: only its hash is kept,
 * so it cannot be shown again (staff can make a new one from the detail page).
 */
export function NewOnboardingForm({ action, tracks }: { action: Action; tracks: { value: string; label: string }[] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState<Created>);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const submit = useSubmitKeepingFields(formAction);

  if (state.status === "success" && state.data) {
    return (
      <section aria-labelledby="created-title" className="space-y-4 rounded-lg border-2 border-green-700 bg-green-50 p-5">
        <h2 id="created-title" className="text-xl font-semibold">Onboarding created</h2>
        <p role="status">{state.message}</p>
        <p className="flex flex-wrap items-center gap-2">
          <code data-testid="invite-link" className="break-all rounded bg-white px-2 py-1">{state.data.url}</code>
          <CopyButton text={state.data.url} label="Copy invite link" />
        </p>
        <p className="text-sm">
          Send it to the brokerage&apos;s admin. For your security the link is shown only now; if it is lost, open the onboarding and
          make a new one (the old one stops working).
        </p>
        {state.data.onboardingId && (
          <p>
            <Link href={`/staff/onboardings/${state.data.onboardingId}`} data-testid="created-detail-link">Open the onboarding</Link>
            {" · "}
            <Link href="/staff">Back to the dashboard</Link>
          </p>
        )}
      </section>
    );
  }

  return (
    <form action={formAction} onSubmit={submit} className="space-y-4" noValidate>
      {state.status === "invalid" && <ErrorSummary message={state.message} errors={errors} labels={LABELS} />}
      {state.status === "error" && <FormMessage state={state} />}
      <Field id="brokerageName" label={LABELS.brokerageName} errors={errors.brokerageName}>
        {(d, invalid) => <TextInput id="brokerageName" name="brokerageName" required maxLength={200} autoComplete="organization" describedBy={d} invalid={invalid} />}
      </Field>
      <Field id="contactName" label={LABELS.contactName} hint="The brokerage's IT admin who will follow the guide." errors={errors.contactName}>
        {(d, invalid) => <TextInput id="contactName" name="contactName" required maxLength={120} autoComplete="off" describedBy={d} invalid={invalid} />}
      </Field>
      <Field id="contactEmail" label={LABELS.contactEmail} errors={errors.contactEmail}>
        {(d, invalid) => <TextInput id="contactEmail" name="contactEmail" type="email" inputMode="email" required maxLength={254} autoComplete="off" describedBy={d} invalid={invalid} />}
      </Field>
      <Field id="track" label={LABELS.track} hint="Leave it to the brokerage if you are not sure: the workspace asks them first." errors={errors.track}>
        {(d, invalid) => (
          <select id="track" name="track" defaultValue="" aria-describedby={d} aria-invalid={invalid || undefined} className={selectClass}>
            <option value="">Let the brokerage choose</option>
            {tracks.map((t) => (
              <option key={t.value} value={t.value}>{t.label}</option>
            ))}
          </select>
        )}
      </Field>
      <Field id="notes" label={LABELS.notes} hint="Visible to MoxiWorks staff only. Never put passwords here." errors={errors.notes}>
        {(d, invalid) => <TextArea id="notes" name="notes" rows={4} maxLength={2000} describedBy={d} invalid={invalid} />}
      </Field>
      <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create onboarding and invite link"}</Button>
    </form>
  );
}
