"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";
import { useSubmitKeepingFields } from "@/components/ui/keep-fields";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;
const LABELS = { email: "Your email address" };

/** Asks for a fresh workspace link by email; the link goes to the brokerage contact's address on file only. */
export function FreshLinkForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const submit = useSubmitKeepingFields(formAction);
  return (
    <section aria-labelledby="fresh-link-title" className="space-y-3 rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="fresh-link-title" className="text-lg font-semibold">Get a fresh link by email</h2>
      <p className="text-sm">
        Opened the link from an email on another computer or browser? Enter the address MoxiWorks wrote to and we send a new link
        there. Only the brokerage&apos;s contact on file receives it; an email vendor can ask the brokerage.
      </p>
      <form action={formAction} onSubmit={submit} className="space-y-3" noValidate>
        {state.status === "invalid" && <ErrorSummary message={state.message} errors={errors} labels={LABELS} />}
        <Field id="fresh-link-email" label={LABELS.email} errors={errors.email}>
          {(d, invalid) => <TextInput id="fresh-link-email" name="email" type="email" inputMode="email" autoComplete="email" required maxLength={254} describedBy={d} invalid={invalid} />}
        </Field>
        <FormMessage state={state} />
        <Button type="submit" disabled={pending}>{pending ? "Sending…" : "Email me a fresh link"}</Button>
      </form>
    </section>
  );
}
