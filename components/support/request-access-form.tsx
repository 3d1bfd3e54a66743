"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormMessage } from "@/components/ui/error-summary";
import { Field, TextArea } from "@/components/ui/field";
import { ACCESS_DURATIONS_HOURS, requestAccessSchema, type RequestAccessData, type RequestAccessInput } from "@/lib/validation/support";

const LABELS = { reason: "Why you need to see it", durationHours: "For how long" };
const FIELDS = ["reason", "durationHours"] as const;
const selectClass = "block min-h-11 w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

/**
 * Asks the brokerage for access to its stored credential. The shared zod schema runs here through
 * react-hook-form and again in the server action; server field errors come back onto the same fields.
 */
export function RequestAccessForm({ action, onboardingId }: { action: Action; onboardingId: string }) {
  const { register, handleSubmit, setError, reset, formState: { errors } } = useForm<RequestAccessInput, unknown, RequestAccessData>({
    resolver: zodResolver(requestAccessSchema),
    defaultValues: { onboardingId, reason: "", durationHours: "4" },
    shouldFocusError: false,
    reValidateMode: "onBlur",
  });
  const [state, setState] = useState<ActionState>({ status: "idle" });
  const [summary, setSummary] = useState<{ message: string; errors: Record<string, string[] | undefined> } | null>(null);
  const [pending, start] = useTransition();

  const submit = handleSubmit(
    (data) => {
      const form = new FormData();
      form.set("onboardingId", data.onboardingId);
      form.set("reason", data.reason);
      form.set("durationHours", String(data.durationHours));
      start(async () => {
        let result: ActionState;
        try {
          result = await action({ status: "idle" }, form);
        } catch {
          result = { status: "error", code: "internal", message: "We could not reach the server. Please try again." };
        }
        setState(result);
        if (result.status === "invalid") {
          for (const name of FIELDS) {
            const message = result.fieldErrors[name]?.[0];
            if (message) setError(name, { type: "server", message });
          }
          setSummary({ message: result.message, errors: Object.fromEntries(FIELDS.map((n) => [`access-${n}`, result.fieldErrors[n]])) });
        } else {
          setSummary(null);
          if (result.status === "success") reset({ onboardingId, reason: "", durationHours: "4" });
        }
      });
    },
    (invalid) =>
      setSummary({
        message: "Some fields need your attention.",
        errors: Object.fromEntries(FIELDS.map((n) => [`access-${n}`, invalid[n]?.message ? [invalid[n]!.message!] : undefined])),
      }),
  );

  const fieldError = (name: (typeof FIELDS)[number]) => (errors[name]?.message ? [errors[name]!.message!] : undefined);
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Request access to the credential">
      {summary && <ErrorSummary message={summary.message} errors={summary.errors} labels={{ "access-reason": LABELS.reason, "access-durationHours": LABELS.durationHours }} />}
      {state.status !== "invalid" && <FormMessage state={state} />}
      <input type="hidden" {...register("onboardingId")} />
      <Field id="access-reason" label={LABELS.reason} hint="The brokerage reads this before it answers. Give a ticket number and the purpose." errors={fieldError("reason")}>
        {(d, invalid) => <TextArea id="access-reason" rows={3} describedBy={d} invalid={invalid} {...register("reason")} />}
      </Field>
      <Field id="access-durationHours" label={LABELS.durationHours} hint="At most 24 hours from the brokerage's approval." errors={fieldError("durationHours")}>
        {(d, invalid) => (
          <select id="access-durationHours" aria-describedby={d} aria-invalid={invalid || undefined} className={selectClass} {...register("durationHours")}>
            {ACCESS_DURATIONS_HOURS.map((h) => (
              <option key={h} value={String(h)}>{h} hour{h === 1 ? "" : "s"}</option>
            ))}
          </select>
        )}
      </Field>
      <Button type="submit" disabled={pending}>{pending ? "Sending…" : "Request access"}</Button>
    </form>
  );
}
