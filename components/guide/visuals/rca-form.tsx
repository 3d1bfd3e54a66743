import { FieldBox, Highlight, Option, Screen } from "./parts";

/** Remote Connectivity Analyzer → Service Account Access (Developers), filled as steps 3–7 say. */
export function RcaForm() {
  return (
    <Screen
      id="visual-rca-form"
      title="Microsoft Remote Connectivity Analyzer · Service Account Access (Developers)"
      alt="Drawing of the Service Account Access test form with the target mailbox, authentication type, service account, impersonation box and impersonated user ID highlighted."
      caption={
        <>
          Target mailbox and Impersonated user ID: the test mailbox. Authentication type: Basic authentication. Microsoft Account and Password: the service account. Tick <strong>Use Exchange Impersonation</strong>; Impersonated user ID type SmtpAddress.
        </>
      }
    >
      <div className="space-y-2">
        <p className="text-xs text-slate-700">* indicates a required field.</p>
        <Highlight>
          <FieldBox label="Target mailbox email address" required value="testuser@yourdomain.com" marker="3" />
        </Highlight>
        <Highlight>
          <FieldBox label="Authentication type" required value="Basic authentication ▾" marker="4" />
        </Highlight>
        <Highlight>
          <FieldBox label="Microsoft Account" required value="MoxiEngage@yourdomain.com" marker="5" />
          <div className="mt-1">
            <FieldBox label="Password" required value="••••••••••" />
          </div>
        </Highlight>
        <Option checked round label="Use Autodiscover to detect server settings" />
        <Option checked={false} round label="Specify Exchange Web Services server" />
        <FieldBox label="Folder" required value="Inbox" />
        <Highlight>
          <Option checked label="Use Exchange Impersonation" marker="6" />
        </Highlight>
        <Highlight>
          <FieldBox label="Impersonated user ID" required value="testuser@yourdomain.com" marker="7" />
          <div className="mt-1">
            <FieldBox label="Impersonated user ID type" required value="SmtpAddress ▾" />
          </div>
        </Highlight>
        <Option checked={false} label="Ignore Trust for SSL" />
      </div>
    </Screen>
  );
}
