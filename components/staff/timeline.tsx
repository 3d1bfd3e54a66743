import type { OnboardingEvent } from "@/lib/onboarding/store";
import { actorText, describeEvent, eventTypeLabel } from "@/lib/staff/event-text";
import { When } from "./when";

/** Every event of one onboarding, newest first: who, when, what, why. */
export function Timeline({ events, itemLabel }: { events: OnboardingEvent[]; itemLabel: (id: string) => string }) {
  const newestFirst = [...events].reverse();
  if (newestFirst.length === 0) return <p>Nothing has happened yet.</p>;
  return (
    <ol className="space-y-3" data-testid="timeline">
      {newestFirst.map((e) => {
        const { summary, body } = describeEvent(e, itemLabel);
        return (
          <li key={e.id} className="rounded border border-slate-200 bg-white p-3" data-event-type={e.type}>
            <p className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm text-slate-700">
              <span>
                <span className="sr-only">{eventTypeLabel(e.type)}, </span>
                <When iso={e.createdAt} />
              </span>
              <span>
                by <span className="font-medium text-slate-900">{actorText(e.actor)}</span>
              </span>
            </p>
            <p className="mt-1 font-medium">{summary}</p>
            {e.reason && (
              <p className="mt-1 whitespace-pre-line break-words">
                <span className="font-medium">Reason:</span> {e.reason}
              </p>
            )}
            {body && <p className="mt-1 whitespace-pre-line break-words">{body}</p>}
          </li>
        );
      })}
    </ol>
  );
}
