"use client";

import { useChecklist } from "./checklist-context";

/** "3 of 7 done" with a progress bar, for a section or the whole guide; announced politely when it changes. */
export function Progress({ label, itemIds, size = "sm" }: { label: string; itemIds: string[]; size?: "sm" | "lg" }) {
  const { checked } = useChecklist();
  const done = itemIds.filter((id) => checked[id]).length;
  const total = itemIds.length;
  if (total === 0) return null;
  return (
    <div className={`flex flex-wrap items-center gap-3 ${size === "lg" ? "text-base" : "text-sm"}`}>
      <progress
        aria-label={label}
        max={total}
        value={done}
        className={`${size === "lg" ? "h-3 w-64" : "h-2 w-40"} accent-brand-700 print:hidden`}
      />
      <span role="status" className="text-slate-800">
        {label}: {done} of {total} done
      </span>
    </div>
  );
}
