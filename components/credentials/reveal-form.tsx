"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import type { RevealData } from "@/lib/credentials/reveal";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { Field, TextArea, TextInput } from "@/components/ui/field";

/**
 * TechOps reveal: re-enter password + TOTP + reason, then the password is shown for SHOW_SECONDS and dropped
 * from memory (component state cleared, form reset). The action is called directly rather than through
 * useActionState so that no hook keeps the answer once it is hidden.
 */
const SHOW_SECONDS = 30;
const LABELS = { password: "Your password", code: "Authenticator code", reason: "Reason" };

type Props = {
  action: (state: ActionState<RevealData>, formData: FormData) => Promise<ActionState<RevealData>>;
  onboardingId: string;
  /** Support reveal under the brokerage's approval (issue 24): the approved request it is made under. */
  requestId?: string;
  /**
   * What confirms it is you: password + code (password sign-in, the default); a code only (company sign-in without
   * fresh MFA); nothing more (company sign-in that carried MFA, still fresh).
   */
  confirm?: "password" | "code" | "none";
};

export function RevealForm({ action, onboardingId, requestId, confirm = "password" }: Props) {
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<{ message: string; errors: Record<string, string[] | undefined> } | null>(null);
  const [shown, setShown] = useState<{ data: RevealData; until: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const visible = shown !== null;
  useEffect(() => {
    if (visible) headingRef.current?.focus();
  }, [visible]);

  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => {
      const t = Date.now();
      if (t >= shown.until) setShown(null);
      else setNow(t);
    }, 1000);
    return () => clearInterval(timer);
  }, [shown]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    start(async () => {
      let result: ActionState<RevealData>;
      try {
        result = await action({ status: "idle" }, data);
      } catch {
        result = { status: "error", code: "internal", message: "We could not reach the server. Please try again." };
      }
      // The password and code are single-use inputs: cleared whatever the outcome.
      for (const name of ["password", "code"]) {
        const input = form.elements.namedItem(name) as HTMLInputElement | null;
        if (input) input.value = "";
      }
      if (result.status === "success" && result.data) {
        setProblem(null);
        form.reset();
        setNow(Date.now());
        setShown({ data: result.data, until: Date.now() + SHOW_SECONDS * 1000 });
      } else if (result.status === "invalid") {
        setProblem({ message: result.message, errors: result.fieldErrors });
      } else if (result.status === "error") {
        setProblem({ message: result.message, errors: {} });
      }
    });
  }

  function hide() {
    setShown(null);
    requestAnimationFrame(() => (formRef.current?.elements.namedItem(confirm === "password" ? "password" : confirm === "code" ? "code" : "reason") as HTMLInputElement | null)?.focus());
  }

  if (shown) {
    const left = Math.max(0, Math.ceil((shown.until - now) / 1000));
    return (
      <section aria-labelledby="revealed-title" className="space-y-3 rounded border-2 border-amber-600 bg-amber-50 p-4">
        <h2 id="revealed-title" ref={headingRef} tabIndex={-1} className="text-lg font-semibold">Password for {shown.data.serviceAccount}</h2>
        <p>
          <code className="break-all rounded bg-white px-2 py-1 font-mono text-lg">{shown.data.secret}</code>
        </p>
        <p className="text-sm text-slate-800">
          Hides in <span aria-hidden="true">{left}</span>
          <span className="sr-only">{SHOW_SECONDS}</span> seconds. Test mailbox: {shown.data.testMailbox}.
        </p>
        <div className="flex flex-wrap gap-3">
          <Button type="button" onClick={hide}>Hide now</Button>
          <Button type="button" variant="secondary" onClick={() => setShown({ ...shown, until: Date.now() + SHOW_SECONDS * 1000 })}>
            Show for {SHOW_SECONDS} more seconds
          </Button>
        </div>
      </section>
    );
  }

  const errors = problem?.errors ?? {};
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="space-y-4" aria-label="Reveal the password">
      {problem && <ErrorSummary message={problem.message} errors={errors} labels={LABELS} />}
      <input type="hidden" name="onboardingId" value={onboardingId} />
      {requestId && <input type="hidden" name="requestId" value={requestId} />}
      {confirm === "password" && (
        <Field id="password" label={LABELS.password} hint="Your own MoxiWorks staff password, to confirm it is you." errors={errors.password}>
          {(describedBy, invalid) => (
            <TextInput id="password" name="password" type="password" autoComplete="current-password" required describedBy={describedBy} invalid={invalid} />
          )}
        </Field>
      )}
      {confirm !== "none" && (
        <Field id="code" label={LABELS.code} hint="The 6-digit code from your authenticator app." errors={errors.code}>
          {(describedBy, invalid) => (
            <TextInput id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required describedBy={describedBy} invalid={invalid} />
          )}
        </Field>
      )}
      <Field id="reason" label={LABELS.reason} hint="Why you need the password, with a ticket number. It is recorded in the audit log." errors={errors.reason}>
        {(describedBy, invalid) => <TextArea id="reason" name="reason" rows={3} required describedBy={describedBy} invalid={invalid} />}
      </Field>
      <Button type="submit" variant="danger" disabled={pending}>{pending ? "Checking…" : "Reveal the password"}</Button>
    </form>
  );
}
