"use client";

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { looksLikeEmail, looksLikeGroupName, type PlaceholderValues } from "@/lib/guide/placeholders";
import { SAME_MAILBOX_MESSAGE, sameMailbox } from "@/lib/validation/credentials";

// The two addresses the reader types once at the top of the guide; every command uses them. Kept in
// sessionStorage (this tab only, gone when it closes) — addresses, never the password.

const KEY = "moxiengage-guide-placeholders";
const EMPTY: PlaceholderValues = { serviceAccount: "", testMailbox: "" };

const PlaceholderContext = createContext<{ values: PlaceholderValues; setValues(v: PlaceholderValues): void }>({
  values: EMPTY,
  setValues: () => {},
});

function readSaved(): PlaceholderValues {
  try {
    const parsed: unknown = JSON.parse(window.sessionStorage.getItem(KEY) ?? "{}");
    const v = (parsed ?? {}) as Partial<Record<keyof PlaceholderValues, unknown>>;
    return {
      serviceAccount: typeof v.serviceAccount === "string" ? v.serviceAccount.slice(0, 254) : "",
      testMailbox: typeof v.testMailbox === "string" ? v.testMailbox.slice(0, 254) : "",
      group: typeof v.group === "string" ? v.group.slice(0, 64) : "",
      outOfScopeMailbox: typeof v.outOfScopeMailbox === "string" ? v.outOfScopeMailbox.slice(0, 254) : "",
    };
  } catch {
    return EMPTY;
  }
}

/** `fixed` values come from the server (MoxiWorks's app id) and are never saved or edited. */
export function PlaceholderProvider({ children, fixed }: { children: ReactNode; fixed?: Partial<PlaceholderValues> }) {
  const [values, setValuesState] = useState<PlaceholderValues>(EMPTY);
  useEffect(() => {
    // After hydration only: the server render has no sessionStorage.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setValuesState(readSaved());
  }, []);
  const appId = fixed?.appId;
  const value = useMemo(
    () => ({
      values: appId ? { ...values, appId } : values,
      setValues(next: PlaceholderValues) {
        const { appId: _fixed, ...typed } = next;
        void _fixed;
        setValuesState(typed);
        try {
          window.sessionStorage.setItem(KEY, JSON.stringify(typed));
        } catch {
          // storage blocked: values still work for this page view
        }
      },
    }),
    [values, appId],
  );
  return <PlaceholderContext.Provider value={value}>{children}</PlaceholderContext.Provider>;
}

export function usePlaceholders() {
  return useContext(PlaceholderContext);
}

function AddressField({ id, label, hint, value, onChange }: { id: string; label: string; hint: string; value: string; onChange(v: string): void }) {
  const invalid = value.trim() !== "" && !looksLikeEmail(value);
  return (
    <div className="flex-1 min-w-60">
      <label htmlFor={id} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-sm text-slate-700">
        {hint}
      </p>
      <input
        id={id}
        type="email"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ""}`}
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
        className="mt-1 w-full rounded border border-slate-500 bg-white px-3 py-2 text-base text-slate-900"
      />
      {invalid ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          Enter a full email address, like name@yourdomain.com. Commands keep the placeholder until then.
        </p>
      ) : null}
    </div>
  );
}

function GroupField({ value, onChange }: { value: string; onChange(v: string): void }) {
  const invalid = value.trim() !== "" && !looksLikeGroupName(value);
  return (
    <div className="flex-1 min-w-60">
      <label htmlFor="placeholder-group" className="block text-sm font-semibold text-slate-900">
        Group name
      </label>
      <p id="placeholder-group-hint" className="text-sm text-slate-700">
        The mail-enabled security group of MoxiEngage agents, e.g. MoxiEngage Agents
      </p>
      <input
        id="placeholder-group"
        type="text"
        autoComplete="off"
        spellCheck={false}
        maxLength={64}
        value={value}
        aria-describedby={`placeholder-group-hint${invalid ? " placeholder-group-error" : ""}`}
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
        className="mt-1 w-full rounded border border-slate-500 bg-white px-3 py-2 text-base text-slate-900"
      />
      {invalid ? (
        <p id="placeholder-group-error" className="mt-1 text-sm text-red-800">
          Use letters, digits, spaces, dots, hyphens or underscores (at most 64). Commands keep the placeholder until then.
        </p>
      ) : null}
    </div>
  );
}

/** The app-access track's form: the group and the two mailboxes; MoxiWorks's app id is filled in by the server. */
function AppAccessPlaceholderForm({ own = false }: { own?: boolean }) {
  const { values, setValues } = usePlaceholders();
  return (
    <section aria-labelledby="your-addresses" className="rounded border border-slate-300 bg-white p-4 print:hidden">
      <h2 id="your-addresses" className="text-lg font-semibold">
        Your group and mailboxes
      </h2>
      <p className="text-sm text-slate-700">
        Type them once: every command below is filled in with them. They stay in this browser tab only.{" "}
        {own ? (
          values.appId ? <>Your app&apos;s Application (client) ID <code className="rounded bg-slate-100 px-1">{values.appId}</code> is already filled in.</> : <>Commands show <code className="rounded bg-slate-100 px-1">{"{app id}"}</code> where your app&apos;s Application (client) ID goes; your workspace fills it in once you have entered it there.</>
        ) : values.appId ? <>MoxiWorks&apos;s app id <code className="rounded bg-slate-100 px-1">{values.appId}</code> is already filled in.</> : <>MoxiWorks&apos;s app id is not set up on this server, so commands show <code className="rounded bg-slate-100 px-1">{"{app id}"}</code>.</>}
      </p>
      <div className="mt-3 flex flex-wrap gap-4">
        <GroupField value={values.group ?? ""} onChange={(group) => setValues({ ...values, group })} />
        <AddressField
          id="placeholder-test-mailbox"
          label="Test mailbox address"
          hint="An agent's mailbox in the group"
          value={values.testMailbox}
          onChange={(testMailbox) => setValues({ ...values, testMailbox })}
        />
        <AddressField
          id="placeholder-out-of-scope"
          label="Out-of-reach mailbox address"
          hint="A mailbox the app must not open, e.g. your own"
          value={values.outOfScopeMailbox ?? ""}
          onChange={(outOfScopeMailbox) => setValues({ ...values, outOfScopeMailbox })}
        />
      </div>
    </section>
  );
}

/** The form at the top of the guide. Typing fills every command on the page. */
export function PlaceholderForm({ variant = "service-account" }: { variant?: "service-account" | "app-access" | "own-app" }) {
  if (variant === "app-access" || variant === "own-app") return <AppAccessPlaceholderForm own={variant === "own-app"} />;
  return <ServiceAccountPlaceholderForm />;
}

function ServiceAccountPlaceholderForm() {
  const { values, setValues } = usePlaceholders();
  return (
    <section aria-labelledby="your-addresses" className="rounded border border-slate-300 bg-white p-4 print:hidden">
      <h2 id="your-addresses" className="text-lg font-semibold">
        Your addresses
      </h2>
      <p className="text-sm text-slate-700">
        Type them once: every command below is filled in with them. They stay in this browser tab only. Never type the password here.
      </p>
      <div className="mt-3 flex flex-wrap gap-4">
        <AddressField
          id="placeholder-service-account"
          label="Service account address"
          hint="The MoxiEngage service account, e.g. moxiengage@yourdomain.com"
          value={values.serviceAccount}
          onChange={(serviceAccount) => setValues({ ...values, serviceAccount })}
        />
        <AddressField
          id="placeholder-test-mailbox"
          label="Test mailbox address"
          hint="A regular user's mailbox to test with"
          value={values.testMailbox}
          onChange={(testMailbox) => setValues({ ...values, testMailbox })}
        />
      </div>
      {sameMailbox(values.serviceAccount, values.testMailbox) && (
        <p role="alert" data-testid="placeholder-same-mailbox" className="mt-2 text-sm font-medium text-red-700">{SAME_MAILBOX_MESSAGE}</p>
      )}
    </section>
  );
}
