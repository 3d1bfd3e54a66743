"use client";

import { useMemo, type ReactNode } from "react";
import { ChecklistProvider } from "@/components/guide/checklist-context";
import type { ChecklistState, ChecklistStore } from "@/components/guide/checklist-store";
import type { ActionState } from "@/lib/actions/state";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * The workspace's checklist: ticks are saved on the server (so the brokerage, its vendor and MoxiWorks staff
 * all see them), through the workspace's server action. A refused save puts the box back and says why.
 */
export function ServerChecklistProvider({ initial, save, children }: { initial: ChecklistState; save: Action; children: ReactNode }) {
  const store = useMemo<ChecklistStore>(
    () => ({
      load: () => initial,
      async set(itemId, checked) {
        const form = new FormData();
        form.set("itemId", itemId);
        form.set("checked", String(checked));
        const result = await save({ status: "idle" }, form);
        if (result.status !== "success") throw new Error(result.status === "idle" ? "Not saved." : result.message);
      },
    }),
    [initial, save],
  );
  return (
    <ChecklistProvider store={store} initial={initial}>
      {children}
    </ChecklistProvider>
  );
}
