// Small builders that number steps and give every checklist item its permanent id, so content files
// only say what a step says. Item ids: `<prefix><section>-<n>` for a step, `…-<n><letter>` for a lettered
// sub-step, `…-<n>-<k>` for further items. Exchange Server tracks use the prefix "server-" because their
// steps are different work from the Microsoft 365 steps with the same number.

import type { ChecklistItem, Command, Section, Step, SubStep } from "./types";

export type StepDef = Omit<Step, "n" | "checklist" | "substeps"> & {
  /** What the reader ticks: one label, or several for a step with several things to do. */
  tick: string | string[];
  substeps?: (SubStep & { tick?: string })[];
};

/** A PowerShell command for a code block: what to run, and what it does (the copy button's label). */
export function powershell(code: string, label: string): Command {
  return { code, label, shell: "powershell" };
}

export function numberSteps(sectionId: string, prefix: string, defs: StepDef[]): Step[] {
  return defs.map((def, index) => {
    const n = index + 1;
    const base = `${prefix}${sectionId}-${n}`;
    const { tick, substeps, ...rest } = def;
    const labels = Array.isArray(tick) ? tick : [tick];
    const checklist: ChecklistItem[] = [];
    for (const sub of substeps ?? []) {
      checklist.push({ id: `${base}${sub.letter}`, label: `${sub.letter}. ${sub.tick ?? sub.text}` });
    }
    labels.forEach((label, k) => checklist.push({ id: k === 0 ? base : `${base}-${k + 1}`, label }));
    const cleanSubsteps = substeps?.map(({ letter, text, seed }) => (seed ? { letter, text, seed } : { letter, text }));
    return { n, ...rest, ...(cleanSubsteps ? { substeps: cleanSubsteps } : {}), checklist };
  });
}

/** Checklist items for a section without numbered steps. */
export function sectionChecklist(sectionId: string, prefix: string, labels: string[]): ChecklistItem[] {
  return labels.map((label, k) => ({ id: `${prefix}${sectionId}-check-${k + 1}`, label }));
}

export function section(s: Section): Section {
  return s;
}
