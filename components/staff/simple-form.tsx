"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";
import { useSubmitKeepingFields } from "@/components/ui/keep-fields";

/** A small server-action form: fields described as data, errors from the shared schema shown per field. */
export type SimpleField = {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  hint?: string;
  inputMode?: "numeric" | "email" | "text";
  required?: boolean;
};

export function SimpleForm({
  action,
  fields,
  submitLabel,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: SimpleField[];
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const labels = Object.fromEntries(fields.map((f) => [f.name, f.label]));
  const submit = useSubmitKeepingFields(formAction);
  return (
    <form action={formAction} onSubmit={submit} className="space-y-4" noValidate>
      {state.status === "invalid" && <ErrorSummary message={state.message} errors={errors} labels={labels} />}
      {state.status === "error" && <FormMessage state={state} />}
      {fields.map((f) => (
        <Field key={f.name} id={f.name} label={f.label} hint={f.hint} errors={errors[f.name]}>
          {(describedBy, invalid) => (
            <TextInput
              id={f.name}
              name={f.name}
              type={f.type ?? "text"}
              autoComplete={f.autoComplete}
              inputMode={f.inputMode}
              required={f.required ?? true}
              describedBy={describedBy}
              invalid={invalid}
            />
          )}
        </Field>
      ))}
      <Button type="submit" disabled={pending}>{pending ? "Please wait…" : submitLabel}</Button>
    </form>
  );
}
