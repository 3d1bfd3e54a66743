"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";

type Link = { id: string; label: string; status: string; expiresAt: string };
type Action<T = unknown> = (s: ActionState<T>, f: FormData) => Promise<ActionState<T>>;

/** Brokerage admins share the guide and checklist with their email vendor; vendors never see credentials. */
export function VendorLinks({ links, create, revoke }: { links: Link[]; create: Action<{ url: string }>; revoke: Action }) {
  const [created, createAction, creating] = useActionState(create, { status: "idle" } as ActionState<{ url: string }>);
  const [revoked, revokeAction] = useActionState(revoke, { status: "idle" } as ActionState);
  const errors = created.status === "invalid" ? created.fieldErrors.label : undefined;
  return (
    <div className="space-y-4">
      <p>
        Your email vendor (GoDaddy, a hosting provider or your IT company) can follow the guide, tick the checklist and run
        the connection test with a link of their own. They never see the credentials you save.
      </p>
      <form action={createAction} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field id="label" label="Who is the link for?" hint="For example “GoDaddy support” or “Contoso IT”." errors={errors}>
            {(d, invalid) => <TextInput id="label" name="label" maxLength={80} describedBy={d} invalid={invalid} autoComplete="off" />}
          </Field>
        </div>
        <Button type="submit" variant="secondary" disabled={creating}>Create vendor link</Button>
      </form>
      {created.status === "success" && created.data && (
        <div className="space-y-2 rounded border border-green-700 bg-green-50 p-3">
          <p role="status">{created.message}</p>
          <p className="flex flex-wrap items-center gap-2">
            <code data-testid="vendor-link" className="break-all rounded bg-white px-2 py-1">{created.data.url}</code>
            <CopyButton text={created.data.url} label="Copy link" />
          </p>
        </div>
      )}
      {created.status === "error" && <FormMessage state={created} />}
      <FormMessage state={revoked} />
      {links.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Vendor links</caption>
          <thead><tr><th scope="col" className="py-1">For</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {links.map((l) => (
              <tr key={l.id} className="border-t border-slate-200">
                <td className="py-2">{l.label}</td>
                <td>{l.status}</td>
                <td><time dateTime={l.expiresAt}>{l.expiresAt.slice(0, 10)}</time></td>
                <td>
                  {l.status === "active" && (
                    <form action={revokeAction}>
                      <input type="hidden" name="linkId" value={l.id} />
                      <Button type="submit" variant="secondary" className="min-h-9 px-2 py-1 text-sm">Turn off<span className="sr-only"> link for {l.label}</span></Button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
