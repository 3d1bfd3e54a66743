"use client";

import { useState } from "react";

/** Copies text and says so in a polite live region, so screen-reader users hear the result too. */
export function CopyButton({ text, label = "Copy", className = "" }: { text: string; label?: string; className?: string }) {
  const [status, setStatus] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Copied to the clipboard.");
    } catch {
      setStatus("Could not copy automatically: select the text and copy it.");
    }
    setTimeout(() => setStatus(""), 4000);
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className={`min-h-11 rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100 ${className}`}>
        {label}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-green-800">{status}</span>
    </span>
  );
}
