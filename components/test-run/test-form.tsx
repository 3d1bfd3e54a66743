"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { LiveTest } from "./live-test";

/**
 * Test typed-in details without saving them (what a vendor can do, and what an admin does before
 * submitting). The password is sent once, over the same-origin POST, and never stored.
 */
export function TestForm({ canUseSaved }: { canUseSaved: boolean }) {
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [useSaved, setUseSaved] = useState(canUseSaved);
  const router = useRouter();

  function body() {
    if (useSaved) return { useSaved: true as const };
    const data = new FormData(form.current!);
    const value = (k: string) => String(data.get(k) ?? "");
    const missing: Record<string, string[]> = {};
    if (!value("serviceAccount").trim()) missing.serviceAccount = ["Enter the service account's address."];
    if (!value("password")) missing.password = ["Enter the service account's password."];
    if (!value("testMailbox").trim()) missing.testMailbox = ["Enter the address of a regular user's mailbox to test with."];
    setErrors(missing);
    if (Object.keys(missing).length) {
      form.current?.querySelector<HTMLInputElement>(`[name=${Object.keys(missing)[0]}]`)?.focus();
      return undefined;
    }
    return { serviceAccount: value("serviceAccount"), password: value("password"), testMailbox: value("testMailbox"), ...(value("ewsUrl").trim() ? { ewsUrl: value("ewsUrl").trim() } : {}) };
  }

  return (
    <div className="space-y-4">
      {canUseSaved && (
        <fieldset className="space-y-2">
          <legend className="font-medium">What to test</legend>
          <label className="flex items-center gap-2"><input type="radio" name="source" checked={useSaved} onChange={() => setUseSaved(true)} className="size-5" /> The saved details</label>
          <label className="flex items-center gap-2"><input type="radio" name="source" checked={!useSaved} onChange={() => setUseSaved(false)} className="size-5" /> Details I type in now (not saved)</label>
        </fieldset>
      )}
      {!useSaved && (
        <form ref={form} className="grid gap-4 md:grid-cols-2" onSubmit={(e) => e.preventDefault()} noValidate>
          <Field id="test-serviceAccount" label="Service account address" hint="For example moxiengage@yourbrokerage.com" errors={errors.serviceAccount}>
            {(d, inv) => <TextInput id="test-serviceAccount" name="serviceAccount" type="email" autoComplete="username" maxLength={320} describedBy={d} invalid={inv} />}
          </Field>
          <Field id="test-password" label="Service account password" errors={errors.password}>
            {(d, inv) => <TextInput id="test-password" name="password" type="password" autoComplete="current-password" maxLength={256} describedBy={d} invalid={inv} />}
          </Field>
          <Field id="test-testMailbox" label="Test mailbox" hint="A regular user who has signed in to Outlook at least once." errors={errors.testMailbox}>
            {(d, inv) => <TextInput id="test-testMailbox" name="testMailbox" type="email" autoComplete="email" maxLength={320} describedBy={d} invalid={inv} />}
          </Field>
          <Field id="test-ewsUrl" label="EWS URL (optional)" hint="Leave empty to find it with Autodiscover." errors={errors.ewsUrl}>
            {(d, inv) => <TextInput id="test-ewsUrl" name="ewsUrl" type="url" autoComplete="url" maxLength={2048} placeholder="https://mail.example.com/EWS/Exchange.asmx" describedBy={d} invalid={inv} />}
          </Field>
        </form>
      )}
      <LiveTest body={body} onFieldErrors={setErrors} onFinished={() => router.refresh()} />
    </div>
  );
}
