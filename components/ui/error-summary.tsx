"use client";

import { useEffect, useRef } from "react";

/**
 * Lists every field error at the top of a form and takes focus when it appears (GOV.UK pattern), each
 * entry linking to its field.
 */
export function ErrorSummary({
  message,
  errors,
  labels,
  focusKey,
}: {
  message: string;
  errors: Record<string, string[] | undefined>;
  labels: Record<string, string>;
  /** When given, focus moves here only when it changes (a new attempt), not when a fixed field drops out of the list. */
  focusKey?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors).filter(([, v]) => v?.length);
  const focusOn = focusKey ?? errors;
  useEffect(() => {
    ref.current?.focus();
  }, [focusOn]);
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="rounded border-2 border-red-700 bg-red-50 p-4">
      <h2 id="error-summary-title" className="font-semibold text-red-800">{message}</h2>
      {entries.length > 0 && (
        <ul className="mt-2 list-disc pl-5">
          {entries.map(([field, messages]) => (
            <li key={field}>
              <a href={`#${field}`} className="text-red-800">{labels[field] ?? field}: {messages!.join(" ")}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A one-line status for action results that screen readers announce. */
export function FormMessage({ state }: { state: { status: string; message?: string } }) {
  if (state.status === "idle" || !state.message) return <p role="status" className="sr-only" />;
  const tone = state.status === "success" ? "text-green-800 bg-green-50 border-green-700" : "text-red-800 bg-red-50 border-red-700";
  return <p role={state.status === "success" ? "status" : "alert"} className={`rounded border px-3 py-2 ${tone}`}>{state.message}</p>;
}
