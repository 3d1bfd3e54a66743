"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea } from "@/components/ui/field";

/** One incident action: hidden ids, at most one written reason or note, a button; errors from the shared schema. */
export function IncidentActionForm({
  action,
  hidden,
  text,
  select,
  submitLabel,
  disabled,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  text?: { name: string; label: string; hint?: string };
  select?: { name: string; label: string; options: { value: string; label: string }[] };
  submitLabel: string;
  disabled?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const key = submitLabel.replace(/\W+/g, "-").toLowerCase();
  const labels = { ...(text ? { [text.name]: text.label } : {}), ...(select ? { [select.name]: select.label } : {}) };
  return (
    <form action={formAction} className="space-y-3" noValidate>
      {state.status === "invalid" && <ErrorSummary message={state.message} errors={errors} labels={labels} />}
      <FormMessage state={state} />
      {Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      {select && (
        <Field id={`${select.name}-${key}`} label={select.label} errors={errors[select.name]}>
          {(describedBy, invalid) => (
            <select id={`${select.name}-${key}`} name={select.name} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="block rounded border border-slate-400 bg-white px-3 py-2">
              {select.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          )}
        </Field>
      )}
      {text && (
        <Field id={`${text.name}-${key}`} label={text.label} hint={text.hint} errors={errors[text.name]}>
          {(describedBy, invalid) => <TextArea id={`${text.name}-${key}`} name={text.name} rows={2} describedBy={describedBy} invalid={invalid} />}
        </Field>
      )}
      <Button type="submit" disabled={pending || disabled}>{pending ? "Please wait…" : submitLabel}</Button>
    </form>
  );
}
