import { Box, Buttons, Highlight, Screen } from "./parts";

const ROLES: [string, string, boolean][] = [
  ["Address Lists", "Manage address lists, global address lists and offline address lists.", false],
  ["ApplicationImpersonation", "Enables applications to impersonate users in an organization to perform tasks on behalf of the user.", true],
  ["ArchiveApplication", "Allows partner applications to archive items.", false],
  ["Audit Logs", "Manage cmdlet audit logging.", false],
];

/** Exchange admin center → Add role group → Add permissions, with ApplicationImpersonation ticked (step 6). */
export function RolePermissionPick({ retired }: { retired: boolean }) {
  return (
    <Screen
      id="visual-role-permission-pick"
      title="Exchange admin center · Admin roles › Add role group · Permissions"
      alt="Drawing of the Add permissions page of a new role group, with ApplicationImpersonation ticked and Next highlighted."
      caption={
        retired ? (
          <>As the screen looked in 2021: <strong>ApplicationImpersonation</strong> ticked, then <strong>Next</strong>. Exchange Online no longer lists this role.</>
        ) : (
          <>Tick <strong>ApplicationImpersonation</strong> (1 selected), then <strong>Next</strong>.</>
        )
      }
    >
      <div className="text-base font-semibold">Add permissions</div>
      <p className="text-xs text-slate-800">Select the roles to add to the Impersonation role group.</p>
      <div className="mt-1 text-xs font-semibold text-slate-800">1 selected</div>
      <div className="mt-1 divide-y divide-slate-200 rounded border border-slate-300">
        {ROLES.map(([name, description, picked]) => (
          <Highlight key={name} on={picked}>
            <div className={`flex items-start gap-2 px-2 py-1.5 ${picked ? "bg-green-50" : ""}`}>
              <Box checked={picked} />
              <div>
                <div className={picked ? "font-bold" : "font-medium"}>{name}</div>
                <div className="text-xs text-slate-700">{description}</div>
              </div>
            </div>
          </Highlight>
        ))}
      </div>
      <Buttons primary="Next" others={["Back", "Cancel"]} />
    </Screen>
  );
}
