"use client";

import { useMemo, type ReactNode } from "react";
import { ChecklistProvider } from "./checklist-context";
import { localChecklistStore } from "./checklist-store";

/** The public guide's progress: kept in this browser, per track. */
export function LocalChecklistProvider({ scope, children }: { scope: string; children: ReactNode }) {
  const store = useMemo(() => localChecklistStore(scope), [scope]);
  return <ChecklistProvider store={store}>{children}</ChecklistProvider>;
}
