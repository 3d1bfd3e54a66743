"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useRef, useState, useTransition } from "react";
import { useForm, type FieldErrors as RhfFieldErrors } from "react-hook-form";
import type { ActionState, FieldErrors } from "@/lib/actions/state";
import { parseTrack, TRACK_LABELS, TRACKS, type Track } from "@/lib/guide/ids";
import {
  AUTH_SCHEME_LABELS,
  AUTH_SCHEMES,
  CREDENTIAL_FIELD_LABELS,
  credentialFormSchema,
  type CredentialFormData,
  type AuthScheme,
  type CredentialFormInput,
} from "@/lib/validation/credentials";
import { Button } from "@/components/ui/button";
import { ErrorSummary } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";

/**
 * The service-account form: edit → review → save. Validated in the browser with the same zod schema the server
 * action uses. The password lives only in this form's state until it is sent; it is never filled back in
 * (a failed save keeps everything else the admin typed), and the review shows it masked.
 */
type Props = {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  defaultTrack: Track | null;
  /** The saved non-secret values, so changing only the password means typing only the password (WCAG 3.3.7). */
  saved?: { serviceAccount: string; testMailbox: string; ewsUrl: string | null; authScheme?: AuthScheme; track: string };
};

type FieldName = keyof CredentialFormInput;
const FIELD_ORDER: FieldName[] = ["serviceAccount", "password", "testMailbox", "ewsUrl", "authScheme", "track"];

/** Element ids carry a prefix: the workspace page also has the test form, with fields of the same names. */
const idOf = (name: FieldName) => `cred-${name}`;
const SUMMARY_LABELS = Object.fromEntries(FIELD_ORDER.map((n) => [idOf(n), CREDENTIAL_FIELD_LABELS[n]]));

/** Field errors keyed by element id, in form order, for the error summary's links. */
function summaryErrors(messages: Partial<Record<FieldName, string | undefined>>): FieldErrors {
  const out: FieldErrors = {};
  for (const name of FIELD_ORDER) {
    const message = messages[name];
    if (message) out[idOf(name)] = [message];
  }
  return out;
}

export function CredentialForm({ action, defaultTrack, saved }: Props) {
  const savedTrack = parseTrack(saved?.track);
  const {
    register,
    handleSubmit,
    getValues,
    setValue,
    setError,
    clearErrors,
    setFocus,
    formState: { errors },
  } = useForm<CredentialFormInput, unknown, CredentialFormData>({
    resolver: zodResolver(credentialFormSchema),
    defaultValues: {
      serviceAccount: saved?.serviceAccount ?? "",
      password: "",
      testMailbox: saved?.testMailbox ?? "",
      ewsUrl: saved?.ewsUrl ?? "",
      authScheme: saved?.authScheme ?? "auto",
      track: savedTrack ?? defaultTrack ?? ("" as Track),
    },
    // The error summary takes focus instead (it lists and links every problem).
    shouldFocusError: false,
    reValidateMode: "onBlur",
  });
  const [state, setState] = useState<ActionState>({ status: "idle" });
  const [pending, startSaving] = useTransition();
  const [step, setStep] = useState<"edit" | "review" | "saved">(saved ? "saved" : "edit");
  const [summary, setSummary] = useState<{ message: string; errors: FieldErrors } | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  const reviewHeading = useRef<HTMLHeadingElement>(null);

  /** The server's answer to a save. Whatever happened, the password is not kept: a retry means entering it again. */
  function handleResult(result: ActionState) {
    setState(result);
    setValue("password", "");
    setShowPassword(false);
    if (result.status === "success") {
      setSummary(null);
      setStep("saved");
      return;
    }
    setStep("edit");
    if (result.status === "invalid") {
      for (const name of FIELD_ORDER) {
        const message = result.fieldErrors[name]?.[0];
        if (message) setError(name, { type: "server", message });
      }
      setSummary({ message: result.message, errors: summaryErrors(Object.fromEntries(FIELD_ORDER.map((n) => [n, result.fieldErrors[n]?.[0]]))) });
    } else if (result.status === "error") {
      setSummary({ message: result.message, errors: {} });
    }
  }

  useEffect(() => {
    if (step === "review") reviewHeading.current?.focus();
  }, [step]);

  const toReview = handleSubmit(
    () => {
      setSummary(null);
      setShowPassword(false);
      setStep("review");
    },
    (invalid: RhfFieldErrors<CredentialFormInput>) =>
      setSummary({
        message: "Some fields need your attention.",
        errors: summaryErrors(Object.fromEntries(FIELD_ORDER.map((n) => [n, invalid[n]?.message]))),
      }),
  );

  function save() {
    const values = getValues();
    const data = new FormData();
    for (const name of FIELD_ORDER) data.set(name, values[name] ?? "");
    startSaving(async () => {
      let result: ActionState;
      try {
        result = await action({ status: "idle" }, data);
      } catch {
        result = { status: "error", code: "internal", message: "We could not reach the server. Nothing was saved; please try again." };
      }
      handleResult(result);
    });
  }

  function edit() {
    setStep("edit");
    clearErrors();
    requestAnimationFrame(() => setFocus("serviceAccount"));
  }

  if (step === "saved") {
    return (
      <div className="space-y-3">
        {state.status === "success" && state.message && (
          <p role="status" className="rounded border border-green-700 bg-green-50 px-3 py-2 text-green-800">{state.message}</p>
        )}
        <Button type="button" variant="secondary" onClick={edit}>
          {saved || state.status === "success" ? "Change the saved details" : "Enter the details"}
        </Button>
      </div>
    );
  }

  if (step === "review") {
    const v = getValues();
    return (
      <section aria-labelledby="credential-review-title" className="space-y-4">
        <h3 id="credential-review-title" ref={reviewHeading} tabIndex={-1} className="text-lg font-semibold">
          Check the details before saving
        </h3>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">{CREDENTIAL_FIELD_LABELS.serviceAccount}</dt>
          <dd className="break-all">{v.serviceAccount.trim()}</dd>
          <dt className="font-medium">{CREDENTIAL_FIELD_LABELS.password}</dt>
          <dd>
            <span aria-hidden="true">••••••••••</span>
            <span className="sr-only">hidden</span> <span className="text-sm text-slate-700">(entered; never shown again after saving)</span>
          </dd>
          <dt className="font-medium">{CREDENTIAL_FIELD_LABELS.testMailbox}</dt>
          <dd className="break-all">{v.testMailbox.trim()}</dd>
          <dt className="font-medium">EWS URL</dt>
          <dd className="break-all">{v.ewsUrl?.trim() || "Autodiscover (found automatically)"}</dd>
          <dt className="font-medium">{CREDENTIAL_FIELD_LABELS.authScheme}</dt>
          <dd>{AUTH_SCHEME_LABELS[(v.authScheme ?? "auto") as AuthScheme] ?? v.authScheme}</dd>
          <dt className="font-medium">{CREDENTIAL_FIELD_LABELS.track}</dt>
          <dd>{TRACK_LABELS[v.track as Track] ?? v.track}</dd>
        </dl>
        <p className="text-sm text-slate-700">
          Saving encrypts the password and starts the connection test. A vendor link can never see or change these details.
        </p>
        <div className="flex flex-wrap gap-3">
          <Button type="button" onClick={save} disabled={pending}>
            {pending ? "Saving…" : "Save securely"}
          </Button>
          <Button type="button" variant="secondary" onClick={edit} disabled={pending}>
            Edit
          </Button>
        </div>
        <p role="status" className="sr-only">{pending ? "Saving…" : ""}</p>
      </section>
    );
  }

  const fieldErrors = (name: FieldName) => (errors[name]?.message ? [String(errors[name]?.message)] : undefined);

  return (
    <form onSubmit={toReview} noValidate className="space-y-5" aria-label="Service account details">
      {summary && <ErrorSummary message={summary.message} errors={summary.errors} labels={SUMMARY_LABELS} />}

      <Field
        id="cred-serviceAccount"
        label={CREDENTIAL_FIELD_LABELS.serviceAccount}
        hint={"The service account's sign-in address (user principal name), like svc-moxiengage@yourdomain.com. On Exchange Server, DOMAIN\\user works too."}
        errors={fieldErrors("serviceAccount")}
      >
        {(describedBy, invalid) => (
          <TextInput
            id="cred-serviceAccount"
            // text, not email: an email input rewrites an internationalised domain to punycode, which would hide a
            // look-alike domain from the schema's mixed-script check.
            type="text"
            inputMode="email"
            autoComplete="username"
            spellCheck={false}
            autoCapitalize="none"
            describedBy={describedBy}
            invalid={invalid}
            {...register("serviceAccount")}
          />
        )}
      </Field>

      <Field
        id="cred-password"
        label={CREDENTIAL_FIELD_LABELS.password}
        hint="Paste it or let your password manager fill it. It is encrypted as soon as it reaches us and never shown again."
        errors={fieldErrors("password")}
      >
        {(describedBy, invalid) => (
          <div className="flex flex-wrap items-stretch gap-2">
            <TextInput
              id="cred-password"
              type={showPassword ? "text" : "password"}
              /*
               * current-password, not new-password: this is the existing password of an account the admin already
               * created, so a password manager should offer the saved one, not generate a new one (which would not
               * match Active Directory). It also gives the field its WCAG 1.3.5 purpose.
               */
              autoComplete="current-password"
              spellCheck={false}
              autoCapitalize="none"
              autoCorrect="off"
              describedBy={describedBy}
              invalid={invalid}
              className="min-w-0 flex-1"
              {...register("password")}
            />
            <button
              type="button"
              aria-pressed={showPassword}
              aria-controls="cred-password"
              onClick={() => setShowPassword((s) => !s)}
              className="min-h-11 rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100"
            >
              Show password
            </button>
          </div>
        )}
      </Field>

      <Field
        id="cred-testMailbox"
        label={CREDENTIAL_FIELD_LABELS.testMailbox}
        hint="A regular user's mailbox (not the service account) that has signed in at least once. The test opens it by impersonation."
        errors={fieldErrors("testMailbox")}
      >
        {(describedBy, invalid) => (
          <TextInput id="cred-testMailbox" type="text" inputMode="email" autoComplete="email" spellCheck={false} autoCapitalize="none" describedBy={describedBy} invalid={invalid} {...register("testMailbox")} />
        )}
      </Field>

      <Field
        id="cred-ewsUrl"
        label={CREDENTIAL_FIELD_LABELS.ewsUrl}
        hint="Leave empty to find it with Autodiscover. Otherwise the full https address ending in /EWS/Exchange.asmx, like https://mail.yourdomain.com/EWS/Exchange.asmx."
        errors={fieldErrors("ewsUrl")}
      >
        {(describedBy, invalid) => (
          <TextInput id="cred-ewsUrl" type="url" autoComplete="url" inputMode="url" spellCheck={false} autoCapitalize="none" describedBy={describedBy} invalid={invalid} {...register("ewsUrl")} />
        )}
      </Field>

      <Field
        id="cred-authScheme"
        label={CREDENTIAL_FIELD_LABELS.authScheme}
        hint="Automatic suits most servers. On Exchange Server with Basic authentication off, choose NTLM: the password is then never sent over Basic. NTLM does not pass Extended Protection set to Require."
        errors={fieldErrors("authScheme")}
      >
        {(describedBy, invalid) => (
          <select
            id="cred-authScheme"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            className="block w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700"
            {...register("authScheme")}
          >
            {AUTH_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {AUTH_SCHEME_LABELS[s]}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Field id="cred-track" label={CREDENTIAL_FIELD_LABELS.track} errors={fieldErrors("track")}>
        {(describedBy, invalid) => (
          <select
            id="cred-track"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            className="block w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-700"
            {...register("track")}
          >
            <option value="">Choose…</option>
            {TRACKS.map((t) => (
              <option key={t} value={t}>
                {TRACK_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Button type="submit">Review before saving</Button>
    </form>
  );
}
