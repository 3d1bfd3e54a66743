import { Buttons, Highlight, Option, Screen } from "./parts";

/** New Conditional Access policy → Users and groups → Exclude, with the service account excluded (steps 13–17). */
export function ConditionalAccessExclude() {
  return (
    <Screen
      id="visual-ca-exclude"
      title="Azure portal (now Microsoft Entra admin center) · Conditional Access › New policy · Users and groups"
      alt="Drawing of the Users and groups panel: All users included, and on the Exclude tab Users and groups ticked with Moxi Engage selected."
      caption={
        <>
          Include tab: <strong>All users</strong>. Exclude tab: tick <strong>Users and groups</strong> and select the service account; the policy then reads “All users included and specific users excluded”.
        </>
      }
    >
      <div className="flex gap-4 border-b border-slate-300 text-sm">
        <span className="pb-1 text-slate-800">Include</span>
        <span className="border-b-2 border-brand-700 pb-1 font-semibold">Exclude</span>
      </div>
      <div className="mt-2 space-y-1">
        <Option checked={false} label="All guest and external users" />
        <Option checked={false} label="Directory roles" />
        <Highlight>
          <Option checked label="Users and groups" marker="15" />
        </Highlight>
      </div>
      <Highlight>
        <div className="mt-3 rounded border border-slate-300 p-2">
          <div className="text-xs font-semibold text-slate-800">Select excluded users · 1 user</div>
          <div className="mt-1 flex items-center gap-2">
            <span className="inline-flex size-7 items-center justify-center rounded-full bg-brand-700 text-xs font-bold text-white">ME</span>
            <span>
              Moxi Engage <span className="text-xs text-slate-700">MoxiEngage@yourdomain.com</span>
            </span>
          </div>
        </div>
      </Highlight>
      <Buttons primary="Select" />
    </Screen>
  );
}

/** New Conditional Access policy → Grant, with Require multi-factor authentication ticked (step 19). */
export function ConditionalAccessGrant() {
  return (
    <Screen
      id="visual-ca-grant"
      title="Azure portal (now Microsoft Entra admin center) · Conditional Access › Grant"
      alt="Drawing of the Grant panel with Grant access chosen and Require multi-factor authentication ticked."
      caption={
        <>
          Choose <strong>Grant access</strong>, tick only <strong>Require multi-factor authentication</strong>, then <strong>Select</strong>. Afterwards set Enable policy to On and click Create.
        </>
      }
    >
      <Option checked={false} round label="Block access" />
      <Highlight>
        <Option checked round label="Grant access" />
      </Highlight>
      <div className="ml-6 mt-1 space-y-0.5">
        <Highlight>
          <Option checked label="Require multi-factor authentication" marker="19" />
        </Highlight>
        <Option checked={false} label="Require device to be marked as compliant" />
        <Option checked={false} label="Require Hybrid Azure AD joined device" />
        <Option checked={false} label="Require approved client app" />
        <Option checked={false} label="Require app protection policy" />
        <Option checked={false} label="Require password change" />
      </div>
      <Buttons primary="Select" />
    </Screen>
  );
}
