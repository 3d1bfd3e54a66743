"use client";

import { useCopy } from "@/components/ui/copy-button";
import { commandParts, joinParts } from "@/lib/guide/placeholders";
import type { Command } from "@/lib/guide/types";
import { usePlaceholders } from "./placeholders";

/** A command in a code block, filled with the reader's addresses, with a copy button that says what it did. */
export function CommandBlock({ command }: { command: Command }) {
  const { values } = usePlaceholders();
  const { status, copy: copyText } = useCopy(6000);
  const parts = commandParts(command.code, values);
  const unfilled = parts.some((p) => p.kind === "placeholder" && !p.value);

  const copy = () =>
    copyText(joinParts(parts), {
      copied: unfilled ? "Copied. It still has a placeholder in braces: replace it before you run it." : "Copied to the clipboard.",
      failed: "Could not copy automatically: select the command and copy it.",
    });

  return (
    <div className="mt-2">
      <div className="flex items-stretch gap-2">
        <pre
          data-command
          tabIndex={0}
          className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-900 px-3 py-2 text-sm text-slate-50 print:overflow-visible print:whitespace-pre-wrap print:break-all print:border print:border-slate-400 print:bg-white print:text-slate-900"
        >
          <code>
            {parts.map((p, i) =>
              p.kind === "text" ? (
                <span key={i}>{p.text}</span>
              ) : p.value ? (
                <span key={i} className="text-emerald-300 print:text-slate-900">
                  {p.value}
                </span>
              ) : (
                <span key={i} className="rounded bg-amber-200 px-0.5 text-slate-900">
                  {p.name}
                </span>
              ),
            )}
          </code>
        </pre>
        <button
          type="button"
          onClick={copy}
          aria-label={`Copy command: ${command.label}`}
          className="min-h-11 min-w-16 shrink-0 self-start rounded border border-slate-500 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100 print:hidden"
        >
          Copy
        </button>
      </div>
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-green-800 print:hidden">
        {status}
      </p>
    </div>
  );
}
