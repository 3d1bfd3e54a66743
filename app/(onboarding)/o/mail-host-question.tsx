import { MailHostResult } from "@/components/detect/mail-host-result";
import { TrackPicker } from "@/components/workspace/track-picker";
import type { ActionState } from "@/lib/actions/state";
import type { Track } from "@/lib/guide/ids";
import type { MailHostView } from "@/lib/detect/view";

type Props = { action: (s: ActionState, f: FormData) => Promise<ActionState>; current: Track | null; mailHost: Promise<MailHostView | null> };

/**
 * The workspace's first question, pre-answered from the brokerage contact's address. It streams in (the page
 * does not wait for DNS); until then the plain question shows.
 */
export async function MailHostQuestion({ action, current, mailHost }: Props) {
  const view = await mailHost;
  return (
    <div className="space-y-4">
      {view && !current && <MailHostResult view={view} />}
      <TrackPicker action={action} current={current} detected={view?.track ?? null} />
      {view && current && view.track && view.track !== current && (
        <p className="text-sm text-slate-700">
          From {view.domain}&apos;s public records we would have said <strong>{view.hostLabel}</strong>; keep your choice if you know better.
        </p>
      )}
    </div>
  );
}

export function MailHostQuestionLoading({ action, current }: Omit<Props, "mailHost">) {
  return (
    <div className="space-y-4">
      {!current && <p role="status" className="text-slate-700">Looking up where your mail is hosted…</p>}
      <TrackPicker action={action} current={current} waiting />
    </div>
  );
}
