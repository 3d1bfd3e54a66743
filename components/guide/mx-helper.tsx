"use client";

import Link from "next/link";
import { useState } from "react";
import { guessTrackFromMxPaste, type TrackGuess } from "@/lib/guide/detect";
import { TRACK_LABELS } from "@/lib/guide/ids";

/** Paste the MX hosts from nslookup/Resolve-DnsName; get a first guess at the track (nothing leaves the browser). */
export function MxHelper() {
  const [text, setText] = useState("");
  const [guess, setGuess] = useState<TrackGuess | null>(null);
  return (
    <form
      className="mt-3 space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        setGuess(guessTrackFromMxPaste(text));
      }}
    >
      <label htmlFor="mx-hosts" className="block font-semibold">
        Paste the MX lookup output
      </label>
      <p id="mx-hosts-hint" className="text-sm text-slate-700">
        For example the lines of <code>nslookup -type=mx yourdomain.com</code>. It is only read in this browser.
      </p>
      <textarea
        id="mx-hosts"
        aria-describedby="mx-hosts-hint"
        rows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        className="w-full max-w-2xl rounded border border-slate-500 bg-white px-3 py-2 font-mono text-sm"
      />
      <button type="submit" className="min-h-11 rounded border border-slate-500 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100">
        Suggest a track
      </button>
      <div role="status" className="max-w-3xl">
        {guess ? (
          <p className="rounded border border-slate-300 bg-white p-3 text-sm">
            {guess.track ? (
              <>
                Likely: <Link href={`/guide/${guess.track}`}>{TRACK_LABELS[guess.track]}</Link> ({guess.confidence} confidence).{" "}
              </>
            ) : null}
            {guess.reason}
          </p>
        ) : null}
      </div>
    </form>
  );
}
