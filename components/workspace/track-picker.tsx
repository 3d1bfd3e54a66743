"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { TRACK_LABELS, TRACKS, type Track } from "@/lib/guide/ids";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";

/**
 * "Where is your mailbox hosted?" — the first question of the workspace. Until it is answered, the track the
 * detector found (if any) is pre-selected and marked, and the person can choose otherwise.
 */
export function TrackPicker({
  action,
  current,
  detected = null,
  waiting = false,
}: {
  action: (s: ActionState, f: FormData) => Promise<ActionState>;
  current: Track | null;
  detected?: Track | null;
  /** While the mail-host lookup streams in, this copy is replaced when it arrives, so a choice made in it would be lost. */
  waiting?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  const errors = state.status === "invalid" ? state.fieldErrors.track : undefined;
  const selected = current ?? detected;
  return (
    <form action={formAction} className="space-y-3">
      <fieldset disabled={waiting} aria-describedby={errors ? "track-error" : undefined} className="space-y-2">
        <legend className="text-lg font-semibold">Where are your brokerage&apos;s mailboxes hosted?</legend>
        {[...TRACKS, "not-sure" as const].map((t) => (
          <label key={t} className="flex min-h-11 items-center gap-3 rounded border border-slate-300 bg-white px-3 py-2">
            <input type="radio" name="track" value={t} defaultChecked={selected === t} className="size-5" />
            <span>
              {t === "not-sure" ? "I'm not sure" : TRACK_LABELS[t]}
              {t === detected && t !== current && <span className="ml-2 rounded bg-brand-50 px-2 py-0.5 text-sm font-medium text-brand-800">What we found</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {errors && <p id="track-error" className="text-sm font-medium text-red-700">{errors.join(" ")}</p>}
      <Button type="submit" disabled={pending || waiting}>{pending ? "Saving…" : "Save"}</Button>
      <FormMessage state={state} />
    </form>
  );
}
