"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionState } from "@/lib/actions/state";
import { GRAPH_STAGE_IDS } from "@/lib/exchange/steps";
import { appAccessTestSchema } from "@/lib/validation/app-access-test";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";
import { LiveTest } from "@/components/test-run/live-test";

type Action<T = unknown> = (s: ActionState<T>, f: FormData) => Promise<ActionState<T>>;
type Saved = { groupName: string; testMailbox: string; outOfScopeMailbox: string; tenant?: string; clientId?: string };
type FieldErrors = Record<string, string[] | undefined>;

/**
 * The graph_app details: the group the app is scoped to, the test mailbox and a mailbox that must stay out of
 * reach. "Run the app-access test" runs the Microsoft Graph test on the server and shows each step as it arrives
 * (the same live test as the service-account one); "Submit for verification" (brokerage only) hands them over.
 * No secret is asked for. With `own` (the brokerage's own app registration) it also asks for the tenant and the
 * app's Application (client) ID.
 */
export function AppAccessForm({ saved, submit, canSubmit, own = false, workspaceGuide }: { saved: Saved; submit: Action; canSubmit: boolean; own?: boolean; workspaceGuide?: string }) {
  const router = useRouter();
  const [submitted, submitAction, submitting] = useActionState(submit, { status: "idle" } as ActionState);
  const [testErrors, setTestErrors] = useState<FieldErrors>({});
  const errs = (submitted.status === "invalid" ? submitted.fieldErrors : testErrors) as FieldErrors;
  // Controlled: React resets a form after its action, and a test run must not empty what is then submitted.
  const [values, setValues] = useState(saved);
  // The test endpoint checks the same schema; checking here first names a mistake before anything is sent.
  function testBody() {
    const request = { appAccess: true, groupName: values.groupName, testMailbox: values.testMailbox, outOfScopeMailbox: values.outOfScopeMailbox, ...(own ? { tenant: values.tenant ?? "", clientId: values.clientId ?? "" } : {}) };
    const parsed = appAccessTestSchema.safeParse(request);
    if (!parsed.success) {
      setTestErrors(parsed.error.flatten().fieldErrors as FieldErrors);
      return undefined;
    }
    setTestErrors({});
    return request;
  }
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
      <LiveTest
        label="Run the app-access test"
        body={testBody}
        onFieldErrors={setTestErrors}
        stages={GRAPH_STAGE_IDS}
        passedMessage={`The app-access test passed: ${own ? "your app" : "MoxiWorks's app"} can work with the test mailbox and cannot open the out-of-reach one.`}
        workspaceGuide={workspaceGuide}
        onFinished={() => router.refresh()}
      />
      {canSubmit && (
        <div className="flex flex-wrap gap-3">
          <Button type="submit" variant="secondary" formAction={submitAction} disabled={submitting}>
            Submit for verification
          </Button>
        </div>
      )}
      <FormMessage state={submitted} />
    </form>
  );
}
