"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Field, TextInput } from "@/components/ui/field";
import { lookUpMailHost } from "@/components/detect/look-up";
import type { MailHostView } from "@/lib/detect/view";
import { LiveTest } from "./live-test";
import { AUTH_SCHEME_LABELS, AUTH_SCHEMES } from "@/lib/validation/credentials";

/**
 * Test typed-in details without saving them (what a vendor can do, and what an admin does before
 * submitting). The password is sent once, over the same-origin POST, and never stored.
 */
export function TestForm({ canUseSaved, mailHost }: { canUseSaved: boolean; mailHost?: Promise<MailHostView | null> }) {
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [useSaved, setUseSaved] = useState(canUseSaved);
  const [mailboxNote, setMailboxNote] = useState<string | null>(null);
  const [ewsUrlFrom, setEwsUrlFrom] = useState<string | null>(null);
  // What detection found, kept so the field gets it even when it is mounted later (switching from saved details).
  const [suggestedEwsUrl, setSuggestedEwsUrl] = useState<string | undefined>(undefined);
  const lookedUp = useRef<string | null>(null);
  const router = useRouter();

  // The EWS URL field takes what detection found, unless the person has typed one themselves.
  function offerEwsUrl(url: string | null, from: string) {
    if (!url) return;
    const input = form.current?.querySelector<HTMLInputElement>("[name=ewsUrl]");
    if (input && input.value && input.dataset.detected !== "true") return;
    setSuggestedEwsUrl(url);
    setEwsUrlFrom(from);
    if (!input) return;
    input.value = url;
    input.dataset.detected = "true";
  }

  useEffect(() => {
    let live = true;
    void mailHost?.then((view) => {
      if (live && view?.ewsUrl) offerEwsUrl(view.ewsUrl, `Found by Autodiscover for ${view.domain}.`);
    });
    return () => {
      live = false;
    };
  }, [mailHost]);

  // Once a test mailbox is typed, look it up too: in a hybrid tenant it may live on an Exchange server.
  async function lookUpMailbox(address: string) {
    const value = address.trim();
    if (!value.includes("@") || lookedUp.current === value.toLowerCase()) return;
    lookedUp.current = value.toLowerCase();
    const found = await lookUpMailHost(value);
    if (!found.ok || lookedUp.current !== value.toLowerCase()) return;
    const view = found.view;
    setMailboxNote(view.host === "unknown" ? null : `${view.hostLabel}: ${view.summary}`);
    offerEwsUrl(view.ewsUrl, `Found by Autodiscover for ${view.address}.`);
  }

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
    return {
      serviceAccount: value("serviceAccount"),
      password: value("password"),
      testMailbox: value("testMailbox"),
      ...(value("ewsUrl").trim() ? { ewsUrl: value("ewsUrl").trim() } : {}),
      authScheme: value("authScheme") || "auto",
    };
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
          <Field
            id="test-testMailbox"
            label="Test mailbox"
            hint={<>A regular user who has signed in to Outlook at least once.{mailboxNote && <span className="mt-1 block" data-testid="test-mailbox-host">{mailboxNote}</span>}</>}
            errors={errors.testMailbox}
          >
            {(d, inv) => <TextInput id="test-testMailbox" name="testMailbox" type="email" autoComplete="email" maxLength={320} describedBy={d} invalid={inv} onBlur={(e) => void lookUpMailbox(e.currentTarget.value)} />}
          </Field>
          <Field id="test-ewsUrl" label="EWS URL (optional)" hint={ewsUrlFrom ?? "Leave empty to find it with Autodiscover."} errors={errors.ewsUrl}>
            {(d, inv) => (
              <TextInput
                id="test-ewsUrl"
                name="ewsUrl"
                type="url"
                autoComplete="url"
                maxLength={2048}
                placeholder="https://mail.example.com/EWS/Exchange.asmx"
                defaultValue={suggestedEwsUrl}
                data-detected={suggestedEwsUrl ? "true" : undefined}
                describedBy={d}
                invalid={inv}
                onInput={(e) => {
                  e.currentTarget.dataset.detected = "false";
                  setEwsUrlFrom(null);
                }}
              />
            )}
          </Field>
          <Field id="test-authScheme" label="How the service account signs in" hint="Automatic: Basic if the server offers it, otherwise NTLM." errors={errors.authScheme}>
            {(d, inv) => (
              <select
                id="test-authScheme"
                name="authScheme"
                defaultValue="auto"
                aria-describedby={d}
                aria-invalid={inv || undefined}
                className="block w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700"
              >
                {AUTH_SCHEMES.map((s) => (
                  <option key={s} value={s}>
                    {AUTH_SCHEME_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
      )}
      <LiveTest body={body} onFieldErrors={setErrors} onFinished={() => router.refresh()} />
    </div>
  );
}
