"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormMessage } from "@/components/ui/error-summary";
import { Field, TextInput } from "@/components/ui/field";

export type StaffLink = { id: string; kind: "brokerage" | "vendor"; label: string; status: "active" | "expired" | "revoked"; createdAt: string; createdBy: string; expiresAt: string; lastUsedAt: string | null };
type Created = { url: string; label?: string };
type Action<T = unknown> = (s: ActionState<T>, f: FormData) => Promise<ActionState<T>>;

const STATUS_LABELS = { active: "Active", expired: "Expired", revoked: "Turned off" } as const;
const small = "min-h-9 px-2 py-1 text-sm";

/** A freshly made link: shown once, with a copy button that says whether copying worked. */
function NewUrl({ state, testId }: { state: ActionState<Created>; testId: string }) {
  if (state.status !== "success" || !state.data) return <FormMessage state={state} />;
  return (
    <div className="space-y-2 rounded border border-green-700 bg-green-50 p-3">
      <p role="status">{state.message}</p>
      <p className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="break-all rounded bg-white px-2 py-1">{state.data.url}</code>
        <CopyButton text={state.data.url} label="Copy link" />
      </p>
    </div>
  );
}

/**
 * The onboarding's workspace links. Tokens are stored only as hashes, so a link's URL can be copied only right
 * after it is made; "Make a new link" replaces a lost one (the old one stops working).
 */
export function LinkManager({
  onboardingId,
  links,
  closed,
  actions,
}: {
  onboardingId: string;
  links: StaffLink[];
  /** Revoked onboardings get no new links. */
  closed: boolean;
  actions: { extend: Action; revoke: Action; regenerate: Action<Created>; createVendor: Action<Created> };
}) {
  const [extended, extendAction, extending] = useActionState(actions.extend, { status: "idle" } as ActionState);
  const [revoked, revokeAction, revoking] = useActionState(actions.revoke, { status: "idle" } as ActionState);
  const [regenerated, regenerateAction, regenerating] = useActionState(actions.regenerate, { status: "idle" } as ActionState<Created>);
  const [vendor, vendorAction, creatingVendor] = useActionState(actions.createVendor, { status: "idle" } as ActionState<Created>);
  const extendErrors = extended.status === "invalid" ? Object.values(extended.fieldErrors).flat().filter(Boolean) : [];
  const vendorErrors = vendor.status === "invalid" ? vendor.fieldErrors.label : undefined;

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        For security a link&apos;s address is stored only in scrambled form, so it can be copied only right after it is made. To send a
        link again, make a new one: the old one stops working.
      </p>
      <div className="space-y-2">
        <FormMessage state={extended} />
        {extendErrors.length > 0 && <p role="alert" className="rounded border border-red-700 bg-red-50 px-3 py-2 text-red-800">{extendErrors.join(" ")}</p>}
        <FormMessage state={revoked} />
        <NewUrl state={regenerated} testId="regenerated-link" />
      </div>
      {links.length === 0 ? (
        <p>This onboarding has no links.</p>
      ) : (
        <div className="relative overflow-x-auto">
          {/* relative: the buttons' sr-only labels are absolutely positioned; without a positioned scroller they escape
              its clipping and push the page 1 px sideways at 390 px. */}
          <table className="w-full text-left text-sm" data-testid="links-table">
            <caption className="sr-only">Workspace links</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-2">Link</th>
                <th scope="col" className="py-1 pr-2">Status</th>
                <th scope="col" className="py-1 pr-2">Expires</th>
                <th scope="col" className="py-1 pr-2">Last used</th>
                <th scope="col" className="py-1">Actions</th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => {
                const name = `${l.kind === "brokerage" ? "brokerage" : "vendor"} link “${l.label}”`;
                return (
                  <tr key={l.id} className="border-t border-slate-200 align-top" data-link-kind={l.kind} data-link-status={l.status}>
                    <th scope="row" className="py-2 pr-2 font-normal">
                      <span className="block font-medium break-words">{l.label}</span>
                      <span className="block text-slate-700">{l.kind === "brokerage" ? "Brokerage admin" : "Email vendor"} · made by {l.createdBy}</span>
                    </th>
                    <td className="py-2 pr-2">{STATUS_LABELS[l.status]}</td>
                    <td className="py-2 pr-2"><time dateTime={l.expiresAt}>{l.expiresAt.slice(0, 10)}</time></td>
                    <td className="py-2 pr-2">{l.lastUsedAt ? <time dateTime={l.lastUsedAt}>{l.lastUsedAt.slice(0, 10)}</time> : "Never"}</td>
                    <td className="space-y-2 py-2">
                      {l.status !== "revoked" && (
                        <form action={extendAction} className="flex flex-wrap items-center gap-2">
                          <input type="hidden" name="onboardingId" value={onboardingId} />
                          <input type="hidden" name="linkId" value={l.id} />
                          <label htmlFor={`days-${l.id}`} className="text-sm">
                            Days<span className="sr-only"> to extend the {name}</span>
                          </label>
                          <input id={`days-${l.id}`} name="days" type="number" inputMode="numeric" min={1} max={90} defaultValue={30} required className="min-h-9 w-20 rounded border border-slate-400 px-2" />
                          <Button type="submit" variant="secondary" className={small} disabled={extending}>
                            Extend<span className="sr-only"> the {name}</span>
                          </Button>
                        </form>
                      )}
                      <div className="flex flex-wrap gap-2">
                        {l.status !== "revoked" && (
                          <form action={revokeAction}>
                            <input type="hidden" name="onboardingId" value={onboardingId} />
                            <input type="hidden" name="linkId" value={l.id} />
                            <Button type="submit" variant="danger" className={small} disabled={revoking}>
                              Turn off<span className="sr-only"> the {name}</span>
                            </Button>
                          </form>
                        )}
                        {!closed && (
                          <form action={regenerateAction}>
                            <input type="hidden" name="onboardingId" value={onboardingId} />
                            <input type="hidden" name="linkId" value={l.id} />
                            <Button type="submit" variant="secondary" className={small} disabled={regenerating}>
                              Make a new link<span className="sr-only"> replacing the {name}</span>
                            </Button>
                          </form>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!closed && (
        <div className="space-y-2 border-t border-slate-200 pt-4">
          <h3 className="font-semibold">Make a vendor link</h3>
          <form action={vendorAction} className="flex flex-wrap items-end gap-3" noValidate>
            <input type="hidden" name="onboardingId" value={onboardingId} />
            <div className="min-w-64 flex-1">
              <Field id="vendor-label" label="Who is the link for?" hint="For example “GoDaddy support”. Vendors see the guide and checklist, never credentials or staff notes." errors={vendorErrors}>
                {(d, invalid) => <TextInput id="vendor-label" name="label" maxLength={80} autoComplete="off" describedBy={d} invalid={invalid} />}
              </Field>
            </div>
            <Button type="submit" variant="secondary" disabled={creatingVendor}>Create vendor link</Button>
          </form>
          <NewUrl state={vendor.status === "invalid" ? { status: "idle" } : vendor} testId="vendor-link" />
        </div>
      )}
    </div>
  );
}
