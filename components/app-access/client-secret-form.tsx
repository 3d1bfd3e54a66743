"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";
import { useSubmitKeepingFields } from "@/components/ui/keep-fields";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;
type FieldErrors = Record<string, string[] | undefined>;

/**
 * The own app's client secret, where the brokerage's policy forces one: its Value (a password field, emptied on
 * submit and never sent back) and its expiry date. The server checks the same schema (lib/validation/own-app-secret.ts).
 */
export function ClientSecretForm({ save, replacing }: { save: Action; replacing: boolean }) {
  const [state, formAction, pending] = useActionState(save, { status: "idle" } as ActionState);
  const onSubmit = useSubmitKeepingFields(formAction);
  const errs = (state.status === "invalid" ? state.fieldErrors : {}) as FieldErrors;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Client secret" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="clientSecret" label="Client secret Value" hint="Certificates & secrets → Client secrets: the Value column, not the Secret ID" errors={errs.clientSecret}>
          {(d, invalid) => <TextInput id="clientSecret" name="clientSecret" type="password" maxLength={256} describedBy={d} invalid={invalid} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field id="expiresOn" label="Expires" hint="The Expires column, as YYYY-MM-DD" errors={errs.expiresOn}>
          {(d, invalid) => <TextInput id="expiresOn" name="expiresOn" type="date" describedBy={d} invalid={invalid} autoComplete="off" />}
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : replacing ? "Replace the client secret" : "Save the client secret"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
