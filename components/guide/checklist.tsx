"use client";

import type { ChecklistItem } from "@/lib/guide/types";
import { useChecklist } from "./checklist-context";

/** One step's checklist: real checkboxes with labels, grouped in a fieldset named by `legend`. */
export function Checklist({ legend, items }: { legend: string; items: ChecklistItem[] }) {
  const { checked, toggle } = useChecklist();
  return (
    <fieldset className="mt-3 rounded border border-slate-300 bg-white px-3 pb-2 pt-1">
      <legend className="px-1 text-sm font-semibold text-slate-800">{legend}</legend>
      <ul className="space-y-1">
        {items.map((item) => {
          const id = `tick-${item.id}`;
          return (
            <li key={item.id} className="flex items-start gap-2">
              <input
                id={id}
                type="checkbox"
                className="mt-0.5 size-6 shrink-0 accent-brand-700"
                checked={checked[item.id] === true}
                onChange={(e) => toggle(item.id, e.currentTarget.checked)}
              />
              <label htmlFor={id} className="min-h-6 py-0.5 text-sm text-slate-900">
                {item.label}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
