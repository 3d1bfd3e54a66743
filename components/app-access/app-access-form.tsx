"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions/state";
import type { Diagnosis, Finding } from "@/lib/diagnosis/diagnose";
import type { ProbeStep } from "@/lib/exchange/steps";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";
import { FindingCards } from "@/components/diagnosis/finding-cards";

type TestResult = { outcome: "passed" | "failed" | null; steps: ProbeStep[]; findings: Finding[] };
type Action<T = unknown> = (s: ActionState<T>, f: FormData) => Promise<ActionState<T>>;
type Saved = { groupName: string; testMailbox: string; outOfScopeMailbox: string; tenant?: string; clientId?: string };

const STATUS_LABEL: Record<string, string> = { passed: "passed", failed: "failed", skipped: "skipped", running: "in progress", pending: "waiting" };

/**
 * The graph_app details: the group the app is scoped to, the test mailbox and a mailbox that must stay out of
 * reach. "Run the test" runs the Microsoft Graph test now; "Submit for verification" (brokerage only) hands them
 * over. No secret is asked for. With `own` (the brokerage's own app registration) it also asks for the tenant and
 * the app's Application (client) ID.
 */
export function AppAccessForm({ saved, test, submit, canSubmit, own = false }: { saved: Saved; test: Action<TestResult>; submit: Action; canSubmit: boolean; own?: boolean }) {
  const [tested, testAction, testing] = useActionState(test, { status: "idle" } as ActionState<TestResult>);
  const [submitted, submitAction, submitting] = useActionState(submit, { status: "idle" } as ActionState);
  const errs = (tested.status === "invalid" ? tested.fieldErrors : submitted.status === "invalid" ? submitted.fieldErrors : {}) as Record<string, string[] | undefined>;
  const result = tested.status === "success" ? tested.data : undefined;
  // Controlled: React resets a form after its action, and a test run must not empty what is then submitted.
  const [values, setValues] = useState(saved);
  const bind = (k: keyof Saved) => ({ value: values[k] ?? "", onChange: (e: { currentTarget: HTMLInputElement }) => setValues({ ...values, [k]: e.currentTarget.value }) });
  return (
    // noValidate: the server's checks (the same schema) give the messages, in every browser alike.
    <form className="space-y-4" aria-label="App access details" noValidate>
      {own && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="tenant" label="Tenant" hint="Directory (tenant) ID, or a verified domain such as yourbrokerage.onmicrosoft.com" errors={errs.tenant}>
            {(d, invalid) => <TextInput id="tenant" name="tenant" {...bind("tenant")} maxLength={253} describedBy={d} invalid={invalid} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field id="clientId" label="Application (client) ID" hint="From your app's Overview page in the Microsoft Entra admin center" errors={errs.clientId}>
            {(d, invalid) => <TextInput id="clientId" name="clientId" {...bind("clientId")} maxLength={100} describedBy={d} invalid={invalid} autoComplete="off" spellCheck={false} />}
          </Field>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="groupName" label="Group name" hint="The mail-enabled security group of agents" errors={errs.groupName}>
          {(d, invalid) => <TextInput id="groupName" name="groupName" {...bind("groupName")} maxLength={64} describedBy={d} invalid={invalid} autoComplete="off" />}
        </Field>
        <Field id="testMailbox" label="Test mailbox" hint="An agent's mailbox in the group" errors={errs.testMailbox}>
          {(d, invalid) => <TextInput id="testMailbox" name="testMailbox" type="email" {...bind("testMailbox")} maxLength={254} describedBy={d} invalid={invalid} autoComplete="off" />}
        </Field>
        <Field id="outOfScopeMailbox" label="Out-of-reach mailbox" hint="A mailbox the app must not open, e.g. yours" errors={errs.outOfScopeMailbox}>
          {(d, invalid) => <TextInput id="outOfScopeMailbox" name="outOfScopeMailbox" type="email" {...bind("outOfScopeMailbox")} maxLength={254} describedBy={d} invalid={invalid} autoComplete="off" />}
        </Field>
      </div>
      <p>
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" name="sendTestMail" value="on" /> Also send one test message from the test mailbox to itself
        </label>
      </p>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" formAction={testAction} disabled={testing || submitting}>
          {testing ? "Testing…" : "Run the app-access test"}
        </Button>
        {canSubmit && (
          <Button type="submit" variant="secondary" formAction={submitAction} disabled={testing || submitting}>
            Submit for verification
          </Button>
        )}
      </div>
      <FormMessage state={tested.status === "success" ? { status: "idle" } : tested} />
      <FormMessage state={submitted} />
      {result && (
        <div className="space-y-3" data-testid="app-access-result" data-outcome={result.outcome ?? ""}>
          <p role="status" className="font-semibold">{result.outcome === "passed" ? "The app-access test passed." : "The app-access test failed."}</p>
          <ol className="space-y-1 text-sm">
            {result.steps.map((s) => (
              <li key={s.id} data-stage={s.id} data-status={s.status}>
                <span className="font-medium">{s.title}</span> — {STATUS_LABEL[s.status] ?? s.status}
                {s.result ? `: ${s.result}` : ""}
              </li>
            ))}
          </ol>
          {result.findings.length > 0 && <FindingCards diagnosis={{ primaryCause: result.findings[0]!.cause, findings: result.findings } as Diagnosis} headingLevel={4} />}
        </div>
      )}
    </form>
  );
}
