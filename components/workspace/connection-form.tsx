"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { useForm, type Resolver } from "react-hook-form";
import type { ActionState, FieldErrors } from "@/lib/actions/state";
import type { MailHostView } from "@/lib/detect/view";
import { TRACK_LABELS, type Track } from "@/lib/guide/ids";
import type { TestRunSummary } from "@/lib/test-runs/events";
import {
  AUTH_SCHEME_LABELS,
  AUTH_SCHEMES,
  CREDENTIAL_FIELD_LABELS,
  type AuthScheme,
  connectionTestFormSchema,
  credentialFormSchema,
  type CredentialFormData,
  type CredentialFormInput,
} from "@/lib/validation/credentials";
import { lookUpMailHost } from "@/components/detect/look-up";
import { LiveTest } from "@/components/test-run/live-test";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";

/**
 * The workspace's one connection form: the details are typed once, the test runs with them, and from a passed
 * (or failed) test the same details are submitted for verification. The password lives only in this form's
 * state in the browser: it is sent with a test or a submission and never comes back from the server (a
 * submission's answer carries no values). Both uses validate with the one schema the server runs too.
 */
type Props = {
  /** Brokerage links submit; a vendor link can only test. */
  save?: (state: ActionState, formData: FormData) => Promise<ActionState>;
  /** The mail host chosen in the first step; a submission needs it. */
  track: Track | null;
  /** The saved non-secret values: changing only the password means typing only the password. */
  saved?: { serviceAccount: string; testMailbox: string; ewsUrl: string | null; authScheme?: AuthScheme };
  mailHost?: Promise<MailHostView | null>;
  /** The guide track the workspace shows, so findings' guide links open inside it. */
  workspaceGuide?: string;
};

type FieldName = "serviceAccount" | "password" | "testMailbox" | "ewsUrl" | "authScheme";
const FIELDS: FieldName[] = ["serviceAccount", "password", "testMailbox", "ewsUrl", "authScheme"];
const idOf = (name: FieldName) => `conn-${name}`;
// Both address fields: text, not email — an email input rewrites an internationalised domain to punycode, hiding a
// look-alike from the schema.
const ADDRESS_INPUT = { type: "text", inputMode: "email", spellCheck: false, autoCapitalize: "none", maxLength: 320 } as const;
const SUMMARY_LABELS = Object.fromEntries(FIELDS.map((n) => [idOf(n), CREDENTIAL_FIELD_LABELS[n]]));

type Intent = "test" | "submit";

export function ConnectionForm({ save, track, saved, mailHost, workspaceGuide }: Props) {
  const router = useRouter();
  const intent = useRef<Intent>("test");
  // One schema per use: a test needs the four fields, a submission the track too (both refuse a test mailbox equal to the service account).
  const resolver: Resolver<CredentialFormInput, unknown, CredentialFormData> = (values, context, options) =>
    (intent.current === "submit" ? zodResolver(credentialFormSchema) : zodResolver(connectionTestFormSchema))(values, context, options as never) as never;
  const {
    register,
    getValues,
    setValue,
    setError,
    handleSubmit,
    formState: { errors },
  } = useForm<CredentialFormInput, unknown, CredentialFormData>({
    resolver,
    defaultValues: { serviceAccount: saved?.serviceAccount ?? "", password: "", testMailbox: saved?.testMailbox ?? "", ewsUrl: saved?.ewsUrl ?? "", authScheme: saved?.authScheme ?? "auto", track: track ?? ("" as Track) },
    // Checked when a button is pressed (not on leaving a field: a message appearing then moves the button away from
    // the click), then again as the person fixes them, so the summary never names a field that is already right.
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });
  const [attempt, setAttempt] = useState(0);
  const [formError, setFormError] = useState<string | null>(null);
  const [useSaved, setUseSaved] = useState(saved !== undefined);
  const [tested, setTested] = useState<TestRunSummary | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  const [submitting, startSubmitting] = useTransition();
  const [mailboxNote, setMailboxNote] = useState<string | null>(null);
  const [ewsUrlFrom, setEwsUrlFrom] = useState<string | null>(null);
  const ewsDetected = useRef(false);
  const lookedUp = useRef<string | null>(null);

  // The EWS URL field takes what detection found, unless the person has typed one themselves.
  function offerEwsUrl(url: string | null, from: string) {
    if (!url) return;
    if (getValues("ewsUrl") && !ewsDetected.current) return;
    ewsDetected.current = true;
    setValue("ewsUrl", url);
    setEwsUrlFrom(from);
  }

  useEffect(() => {
    let live = true;
    void mailHost?.then((view) => {
      if (live && view?.ewsUrl) offerEwsUrl(view.ewsUrl, `Found by Autodiscover for ${view.domain}.`);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mailHost]);

  // Once a test mailbox is typed, look it up too: in a hybrid tenant it may live on an Exchange server.
  async function lookUpMailbox(address: string) {
    const value = address.trim();
    if (!value.includes("@") || lookedUp.current === value.toLowerCase()) return;
    lookedUp.current = value.toLowerCase();
    const found = await lookUpMailHost(value);
    if (!found.ok || lookedUp.current !== value.toLowerCase()) return;
    setMailboxNote(found.view.host === "unknown" ? null : `${found.view.hostLabel}: ${found.view.summary}`);
    offerEwsUrl(found.view.ewsUrl, `Found by Autodiscover for ${found.view.address}.`);
  }

  /** What the test runs with: the saved details, or the typed ones once the schema accepts them. */
  async function testBody() {
    setFormError(null);
    if (useSaved) return { useSaved: true as const };
    intent.current = "test";
    // handleSubmit, not trigger: it marks the form submitted, so each field is checked again as it is fixed.
    const valid = await new Promise<boolean>((resolve) => void handleSubmit(() => resolve(true), () => resolve(false))());
    if (!valid) {
      setAttempt((a) => a + 1);
      return undefined;
    }
    const v = getValues();
    return {
      serviceAccount: v.serviceAccount,
      password: v.password,
      testMailbox: v.testMailbox,
      ...(v.ewsUrl?.trim() ? { ewsUrl: v.ewsUrl.trim() } : {}),
      authScheme: v.authScheme ?? "auto",
    };
  }

  function serverFieldErrors(fieldErrors: FieldErrors) {
    for (const name of FIELDS) {
      const message = fieldErrors[name]?.[0];
      if (message) setError(name, { type: "server", message });
    }
    setAttempt((a) => a + 1);
  }

  const submit = () => {
    setFormError(null);
    intent.current = "submit";
    void handleSubmit(
      (data) => {
        const form = new FormData();
        for (const name of FIELDS) form.set(name, name === "ewsUrl" ? (data.ewsUrl ?? "") : data[name]);
        form.set("track", data.track);
        startSubmitting(async () => {
          let result: ActionState;
          try {
            result = await save!({ status: "idle" }, form);
          } catch {
            result = { status: "error", code: "internal", message: "We could not reach the server. Nothing was saved; please try again." };
          }
          if (result.status === "success") {
            // Saved and sealed on the server: the browser has no more use for the password.
            setValue("password", "");
            router.push("/o?step=submit");
            router.refresh();
          } else if (result.status === "invalid") {
            serverFieldErrors(result.fieldErrors);
            setFormError(result.message);
          } else if (result.status === "error") {
            setFormError(result.message);
          }
        });
      },
      () => setAttempt((a) => a + 1),
    )();
  };

  const fieldErrors = (name: FieldName) => (errors[name]?.message ? [String(errors[name]?.message)] : undefined);
  // The summary reads the form's live errors: a field fixed drops out of it at once.
  const summary = Object.fromEntries(FIELDS.filter((n) => errors[n]?.message).map((n) => [idOf(n), [String(errors[n]!.message)]]));
  const trackError = errors.track?.message;
  const showSummary = attempt > 0 && Object.keys(summary).length > 0;

  return (
    <div className="space-y-5">
      {saved && (
        <fieldset className="space-y-2">
          <legend className="font-medium">What to test</legend>
          <label className="flex min-h-11 items-center gap-2"><input type="radio" name="source" checked={useSaved} onChange={() => setUseSaved(true)} className="size-5" /> The saved details</label>
          <label className="flex min-h-11 items-center gap-2"><input type="radio" name="source" checked={!useSaved} onChange={() => setUseSaved(false)} className="size-5" /> Details I type in now</label>
        </fieldset>
      )}
      {!useSaved && (
        <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-5" aria-label="Connection details">
          {showSummary && <ErrorSummary message="Some fields need your attention." errors={summary} labels={SUMMARY_LABELS} focusKey={attempt} />}
          <div className="grid gap-4 md:grid-cols-2">
            <Field id={idOf("serviceAccount")} label={CREDENTIAL_FIELD_LABELS.serviceAccount} hint="The service account's sign-in address, like svc-moxiengage@yourdomain.com." errors={fieldErrors("serviceAccount")}>
              {(d, inv) => (
                <TextInput id={idOf("serviceAccount")} {...ADDRESS_INPUT} autoComplete="username" describedBy={d} invalid={inv} {...register("serviceAccount")} />
              )}
            </Field>
            <Field id={idOf("password")} label={CREDENTIAL_FIELD_LABELS.password} hint="Paste it or let your password manager fill it. It stays in this page until you test or submit." errors={fieldErrors("password")}>
              {(d, inv) => (
                <div className="flex flex-wrap items-stretch gap-2">
                  <TextInput
                    id={idOf("password")}
                    type={showPassword ? "text" : "password"}
                    // current-password: the existing password of an account already created, never a generated one.
                    autoComplete="current-password"
                    spellCheck={false}
                    autoCapitalize="none"
                    autoCorrect="off"
                    describedBy={d}
                    invalid={inv}
                    className="min-w-0 flex-1"
                    {...register("password")}
                  />
                  <button
                    type="button"
                    aria-pressed={showPassword}
                    aria-controls={idOf("password")}
                    onClick={() => setShowPassword((s) => !s)}
                    className="min-h-11 rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100"
                  >
                    Show password
                  </button>
                </div>
              )}
            </Field>
            <Field
              id={idOf("testMailbox")}
              label={CREDENTIAL_FIELD_LABELS.testMailbox}
              hint={<>A regular user&apos;s mailbox (not the service account) that has signed in at least once.{mailboxNote && <span className="mt-1 block" data-testid="test-mailbox-host">{mailboxNote}</span>}</>}
              errors={fieldErrors("testMailbox")}
            >
              {(d, inv) => {
                const field = register("testMailbox");
                return (
                  <TextInput
                    id={idOf("testMailbox")}
                    {...ADDRESS_INPUT}
                    autoComplete="email"
                    describedBy={d}
                    invalid={inv}
                    {...field}
                    onBlur={(e) => {
                      void field.onBlur(e);
                      void lookUpMailbox(e.currentTarget.value);
                    }}
                  />
                );
              }}
            </Field>
            <Field id={idOf("ewsUrl")} label={CREDENTIAL_FIELD_LABELS.ewsUrl} hint={ewsUrlFrom ?? "Leave empty to find it with Autodiscover; otherwise the https address ending in /EWS/Exchange.asmx."} errors={fieldErrors("ewsUrl")}>
              {(d, inv) => {
                const field = register("ewsUrl");
                return (
                  <TextInput
                    id={idOf("ewsUrl")}
                    type="url"
                    autoComplete="url"
                    inputMode="url"
                    spellCheck={false}
                    autoCapitalize="none"
                    placeholder="https://mail.example.com/EWS/Exchange.asmx"
                    describedBy={d}
                    invalid={inv}
                    {...field}
                    onChange={(e) => {
                      ewsDetected.current = false;
                      setEwsUrlFrom(null);
                      void field.onChange(e);
                    }}
                  />
                );
              }}
            </Field>
            <Field
              id={idOf("authScheme")}
              label={CREDENTIAL_FIELD_LABELS.authScheme}
              hint="Automatic suits most servers: Basic if the server offers it, otherwise NTLM. On Exchange Server with Basic authentication off, choose NTLM: the password is then never sent over Basic. NTLM does not pass Extended Protection set to Require."
              errors={fieldErrors("authScheme")}
            >
              {(d, inv) => (
                <select
                  id={idOf("authScheme")}
                  aria-describedby={d}
                  aria-invalid={inv || undefined}
                  className="block w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700"
                  {...register("authScheme")}
                >
                  {AUTH_SCHEMES.map((scheme) => (
                    <option key={scheme} value={scheme}>
                      {AUTH_SCHEME_LABELS[scheme]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </form>
      )}
      <LiveTest body={testBody} onFieldErrors={serverFieldErrors} workspaceGuide={workspaceGuide} onFinished={(run) => { setTested(run); router.refresh(); }} />
      {save && !useSaved && (
        <section aria-labelledby="submit-title" data-testid="submit-connection" className="space-y-3 rounded border border-slate-300 bg-slate-50 p-4">
          <h3 id="submit-title" className="text-lg font-semibold">Submit for verification</h3>
          {tested?.outcome === "passed" ? (
            <p role="status">The test passed. Submit these same details: nothing to type again.</p>
          ) : tested?.outcome === "failed" ? (
            <p role="status">The test failed. Fix what it found and test again, or submit these details as they are: MoxiWorks runs the same test and tells you what to fix.</p>
          ) : (
            <p>Submitting saves these details encrypted and runs the test again from MoxiWorks. The password is never shown again.</p>
          )}
          <p className="text-sm text-slate-700">Mail system: {track ? TRACK_LABELS[track] : <>not chosen yet — <Link href="/o?step=host">choose your mail host</Link></>}</p>
          {trackError && <p className="text-sm font-medium text-red-700">{trackError}</p>}
          {formError && <p role="alert" className="rounded border border-red-700 bg-red-50 px-3 py-2 text-red-800">{formError}</p>}
          <Button type="button" onClick={submit} disabled={submitting || !track}>
            {submitting ? "Submitting…" : "Submit these details for verification"}
          </Button>
        </section>
      )}
    </div>
  );
}
