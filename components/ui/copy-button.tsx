"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Copies text to the clipboard and keeps a status line to announce (polite live region), cleared after a
 * while. Shared by every copy button: links, invite URLs, guide commands.
 */
export function useCopy(clearAfterMs = 4000) {
  const [status, setStatus] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  async function copy(text: string, messages: { copied?: string; failed?: string } = {}) {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(messages.copied ?? "Copied to the clipboard.");
    } catch {
      setStatus(messages.failed ?? "Could not copy automatically: select the text and copy it.");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(""), clearAfterMs);
  }
  return { status, copy };
}

/** Copies text and says so in a polite live region, so screen-reader users hear the result too. */
export function CopyButton({ text, label = "Copy", className = "" }: { text: string; label?: string; className?: string }) {
  const { status, copy } = useCopy();
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={() => copy(text)} className={`min-h-11 rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100 ${className}`}>
        {label}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-green-800">{status}</span>
    </span>
  );
}
