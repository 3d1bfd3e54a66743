"use client";

import { useActionState, useState, useTransition, type ChangeEvent, type FormEvent } from "react";
import type { ActionState } from "@/lib/actions/state";
import type { IncidentReview } from "@/lib/incidents/review";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea, TextInput } from "@/components/ui/field";

/**
 * A new security incident in two steps on one form: describe it and choose who is affected, "Review" (count and
 * the mail as sent), then confirm with your password and a fresh authenticator code. Editing anything after the
 * review hides the confirmation until the next review. A list can be pasted or read from a file.
 */
type Action<T> = (state: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;
const LABELS = { name: "Incident name", reason: "What happened", dueDays: "Days to rotate in", reminderEveryHours: "Remind every (hours)", kind: "Who is affected", q: "Search", host: "Mail host", list: "Onboarding ids or contact emails", password: "Your password", code: "Authenticator code" };

export function NewIncidentForm({ review, open, hosts }: { review: Action<IncidentReview>; open: Action<unknown>; hosts: { value: string; label: string }[] }) {
  const [reviewState, reviewAction] = useActionState(review, { status: "idle" } as ActionState<IncidentReview>);
  const [openState, openAction] = useActionState(open, { status: "idle" } as ActionState<unknown>);
  const [pending, start] = useTransition();
  const [dirty, setDirty] = useState(false);
  const [kind, setKind] = useState("all_verified");
  const [list, setList] = useState("");
  const reviewed = reviewState.status === "success" && reviewState.data && !dirty ? reviewState.data : null;
  const state = openState.status !== "idle" && !dirty ? openState : reviewState;
  const errors = state.status === "invalid" ? state.fieldErrors : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(form, submitter);
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type="password"], input[name="code"]')) input.value = "";
    setDirty(false);
    start(() => (submitter?.value === "open" ? openAction(data) : reviewAction(data)));
  }

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setList(await file.text());
    setDirty(true);
  }

  return (
    <form onSubmit={submit} onChange={(e) => {
        // Typing the password or code is part of confirming, not a change to what was reviewed.
        const name = (e.nativeEvent.target as HTMLInputElement | null)?.name;
        if (name !== "password" && name !== "code") setDirty(true);
      }} className="space-y-5" noValidate>
      {state.status === "invalid" && <ErrorSummary message={state.message} errors={errors} labels={LABELS} />}
      {state.status === "error" && <FormMessage state={state} />}
      <Field id="name" label={LABELS.name} errors={errors.name}>
        {(d, i) => <TextInput id="name" name="name" required describedBy={d} invalid={i} />}
      </Field>
      <Field id="reason" label={LABELS.reason} hint="Quoted in the mail every affected brokerage receives." errors={errors.reason}>
        {(d, i) => <TextArea id="reason" name="reason" rows={3} required describedBy={d} invalid={i} />}
      </Field>
      <div className="flex flex-wrap gap-4">
        <Field id="dueDays" label={LABELS.dueDays} hint="After this a brokerage that has not rotated counts as overdue." errors={errors.dueDays}>
          {(d, i) => <TextInput id="dueDays" name="dueDays" inputMode="numeric" defaultValue="7" describedBy={d} invalid={i} />}
        </Field>
        <Field id="reminderEveryHours" label={LABELS.reminderEveryHours} hint="0: no scheduled reminders." errors={errors.reminderEveryHours}>
          {(d, i) => <TextInput id="reminderEveryHours" name="reminderEveryHours" inputMode="numeric" defaultValue="24" describedBy={d} invalid={i} />}
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="font-medium">{LABELS.kind}</legend>
        {errors.kind && <p className="text-sm font-medium text-red-700">{errors.kind.join(" ")}</p>}
        {[["all_verified", "Every verified brokerage"], ["filter", "Verified brokerages matching a dashboard filter"], ["list", "A list of onboarding ids or contact emails"]].map(([value, label]) => (
          <label key={value} className="flex items-center gap-2">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value!)} /> {label}
          </label>
        ))}
      </fieldset>
      {kind === "filter" && (
        <div className="flex flex-wrap gap-4">
          <Field id="q" label={LABELS.q} hint="Brokerage, contact name or email, as on the dashboard." errors={errors.q}>
            {(d, i) => <TextInput id="q" name="q" describedBy={d} invalid={i} />}
          </Field>
          <Field id="host" label={LABELS.host} errors={errors.host}>
            {(d, i) => (
              <select id="host" name="host" aria-describedby={d} aria-invalid={i || undefined} className="block rounded border border-slate-400 bg-white px-3 py-2">
                <option value="">Any</option>
                {hosts.map((h) => <option key={h.value} value={h.value}>{h.label}</option>)}
              </select>
            )}
          </Field>
        </div>
      )}
      {kind === "list" && (
        <>
          <Field id="list" label={LABELS.list} hint="One per line (or separated by commas). Only verified onboardings are included." errors={errors.list}>
            {(d, i) => <TextArea id="list" name="list" rows={6} value={list} onChange={(e) => setList(e.target.value)} describedBy={d} invalid={i} />}
          </Field>
          <div>
            <label htmlFor="list-file" className="block font-medium">Or read the list from a file (CSV or text)</label>
            <input id="list-file" type="file" accept=".csv,.txt,text/csv,text/plain" onChange={readFile} />
          </div>
        </>
      )}
      <Button type="submit" name="step" value="review" variant={reviewed ? "secondary" : "primary"} disabled={pending}>
        {pending ? "Please wait…" : "Review"}
      </Button>

      {reviewed && (
        <section aria-labelledby="review-title" className="space-y-4 rounded border border-amber-700 bg-amber-50 p-4" data-testid="incident-review">
          <h2 id="review-title" className="text-lg font-semibold">
            {reviewed.count} brokerage{reviewed.count === 1 ? "" : "s"} affected
          </h2>
          <ul className="list-disc pl-5">
            <li><span data-testid="review-ews">{reviewed.ews}</span> on a service account: moved to rotation requested and mailed.</li>
            <li>{reviewed.appAccess} on app access: asked for nothing; MoxiWorks rotates its own app credential (listed on the incident page).</li>
            {reviewed.unmatchedCount > 0 && <li>{reviewed.unmatchedCount} entries match no onboarding: {reviewed.unmatched.join(", ")}{reviewed.unmatchedCount > reviewed.unmatched.length ? " …" : ""}</li>}
            {reviewed.notVerifiedCount > 0 && <li>{reviewed.notVerifiedCount} entries are not verified and are left out.</li>}
          </ul>
          <div>
            <h3 className="font-medium">The mail each brokerage receives</h3>
            <p className="font-semibold">{reviewed.mail.subject}</p>
            <pre className="whitespace-pre-wrap rounded border border-slate-300 bg-white p-3 text-sm">{reviewed.mail.text}</pre>
          </div>
          <input type="hidden" name="expectedCount" value={reviewed.count} />
          <Field id="password" label={LABELS.password} errors={errors.password}>
            {(d, i) => <TextInput id="password" name="password" type="password" autoComplete="current-password" describedBy={d} invalid={i} />}
          </Field>
          <Field id="code" label={LABELS.code} hint="A fresh code from your authenticator app." errors={errors.code}>
            {(d, i) => <TextInput id="code" name="code" inputMode="numeric" autoComplete="one-time-code" describedBy={d} invalid={i} />}
          </Field>
          <Button type="submit" name="step" value="open" disabled={pending || reviewed.count === 0}>
            {pending ? "Notifying…" : `Open the incident and notify ${reviewed.count}`}
          </Button>
        </section>
      )}
    </form>
  );
}
