"use client";

import { useState } from "react";
import { diagnose, MAX_LOG_CHARS, type Diagnosis } from "@/lib/diagnosis/diagnose";
import { TRACK_LABELS, TRACKS, type Track } from "@/lib/guide/ids";
import { Button } from "@/components/ui/button";
import { FindingCards } from "./finding-cards";

/**
 * Paste a Remote Connectivity Analyzer log and read what it means. The diagnosis runs in the browser: the
 * log (which names your tenant and accounts) is never uploaded.
 */
export function PasteLog({ defaultTrack }: { defaultTrack?: Track }) {
  const [text, setText] = useState("");
  const [track, setTrack] = useState<Track | "unknown">(defaultTrack ?? "unknown");
  const [result, setResult] = useState<Diagnosis | null>(null);
  const [error, setError] = useState("");
  const tooLong = text.length > MAX_LOG_CHARS;

  function run(event: React.FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      setError("Paste the log first: in the Remote Connectivity Analyzer, click “Expand All”, select the whole result and copy it.");
      setResult(null);
      return;
    }
    setError("");
    setResult(diagnose(text, { track }));
  }

  return (
    <div className="space-y-6">
      <form onSubmit={run} className="space-y-4" noValidate>
        <div className="space-y-1">
          <label htmlFor="log" className="block font-medium">Test log</label>
          <p id="log-hint" className="text-sm text-slate-700">
            Everything from “Connectivity Test Failed” (or “Successful”) down. Up to 1 MB; it stays in your browser.
          </p>
          <textarea
            id="log"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={12}
            spellCheck={false}
            aria-describedby={`log-hint${error || tooLong ? " log-error" : ""}`}
            aria-invalid={Boolean(error) || tooLong || undefined}
            className="block w-full rounded border border-slate-400 bg-white p-3 font-mono text-sm"
          />
          {(error || tooLong) && (
            <p id="log-error" className="text-sm font-medium text-red-700">
              {error || `This log is longer than 1 MB; only the first 1 MB will be read.`}
            </p>
          )}
        </div>
        <div className="space-y-1">
          <label htmlFor="track" className="block font-medium">Where the mailboxes are hosted</label>
          <select id="track" value={track} onChange={(e) => setTrack(e.target.value as Track | "unknown")} className="block w-full max-w-xl min-w-0 rounded border border-slate-400 bg-white px-3 py-2">
            <option value="unknown">Not sure</option>
            {TRACKS.map((t) => <option key={t} value={t}>{TRACK_LABELS[t]}</option>)}
          </select>
        </div>
        <Button type="submit">Explain this log</Button>
      </form>
      <div aria-live="polite">
        {result && (
          <section aria-labelledby="findings-title" className="space-y-3">
            <h2 id="findings-title" className="text-xl font-semibold">What the log says</h2>
            <FindingCards diagnosis={result} />
          </section>
        )}
      </div>
    </div>
  );
}
