import { Buttons, FieldBox, Highlight, Marker, Option, Screen } from "./parts";

/** Microsoft 365 admin center → Add a user → Set up the basics, with the fields of step 4 (a–f) marked. */
export function AddUserBasics() {
  return (
    <Screen
      id="visual-add-user-basics"
      title="Microsoft 365 admin center · Add a user"
      alt="Drawing of the Add a user form, Set up the basics page, with fields a to f marked."
      caption={
        <>
          What to set on <strong>Set up the basics</strong>: a Display name, b Username, c Domain, d <em>Automatically create a password</em> cleared and a password typed, e and f both cleared. Then <strong>Next</strong>.
        </>
      }
    >
      <div className="flex flex-col gap-4 sm:flex-row">
        <ol className="space-y-1 text-xs text-slate-800 sm:w-32">
          <li className="font-bold text-slate-900">● Basics</li>
          <li>○ Product licenses</li>
          <li>○ Optional settings</li>
          <li>○ Finish</li>
        </ol>
        <div className="flex-1 space-y-2">
          <div className="text-base font-semibold">Set up the basics</div>
          <div className="grid grid-cols-2 gap-2">
            <FieldBox label="First name" />
            <FieldBox label="Last name" />
          </div>
          <Highlight>
            <FieldBox label="Display name" required value="Moxi Engage" marker="a" />
          </Highlight>
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            <Highlight>
              <FieldBox label="Username" required value="MoxiEngage" marker="b" />
            </Highlight>
            <Highlight>
              <FieldBox label="Domains" value="@yourdomain.com ▾" marker="c" />
            </Highlight>
          </div>
          <Highlight>
            <Option checked={false} label="Automatically create a password" marker="d" note="Leave cleared" />
            <div className="mt-1 flex items-end gap-2">
              <div className="flex-1">
                <FieldBox label="Password" required value="••••••••••••••••" />
              </div>
              <span className="text-xs font-semibold text-green-800">Strong</span>
              <Marker letter="d" />
            </div>
          </Highlight>
          <Highlight>
            <Option checked={false} label="Require this user to change their password when they first sign in" marker="e" note="Leave cleared" />
          </Highlight>
          <Highlight>
            <Option checked={false} label="Send password in email upon completion" marker="f" note="Leave cleared" />
          </Highlight>
          <Buttons primary="Next" others={["Cancel"]} />
        </div>
      </div>
    </Screen>
  );
}
