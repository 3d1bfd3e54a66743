"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ChecklistState, ChecklistStore } from "./checklist-store";

interface ChecklistContextValue {
  checked: ChecklistState;
  /** False until the store has loaded; the page marks itself with data-checklist-ready. */
  ready: boolean;
  error: string;
  toggle(itemId: string, checked: boolean): void;
}

const ChecklistContext = createContext<ChecklistContextValue | null>(null);

/** Holds the ticks of one guide page and writes each change to `store`. */
export function ChecklistProvider({ store, initial, children }: { store: ChecklistStore; initial?: ChecklistState; children: ReactNode }) {
  const [checked, setChecked] = useState<ChecklistState>(initial ?? {});
  const [ready, setReady] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    let live = true;
    Promise.resolve(store.load())
      .then((state) => {
        if (live) setChecked(state);
      })
      .catch(() => {
        if (live) setError("Your saved progress could not be loaded; ticks you make now may not be kept.");
      })
      .finally(() => {
        if (live) setReady(true);
      });
    const unsubscribe = store.subscribe?.((state) => setChecked(state));
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [store]);

  const toggle = useCallback(
    (itemId: string, value: boolean) => {
      setChecked((prev) => ({ ...prev, [itemId]: value }));
      setError("");
      Promise.resolve()
        .then(() => store.set(itemId, value))
        .catch(() => {
          setChecked((prev) => ({ ...prev, [itemId]: !value }));
          setError("That tick could not be saved. Check your connection and try again.");
        });
    },
    [store],
  );

  const value = useMemo(() => ({ checked, ready, error, toggle }), [checked, ready, error, toggle]);
  return (
    <ChecklistContext.Provider value={value}>
      <div data-checklist-ready={ready ? "true" : "false"}>
        <p role="alert" className="empty:hidden rounded border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
        {children}
      </div>
    </ChecklistContext.Provider>
  );
}

export function useChecklist(): ChecklistContextValue {
  const value = useContext(ChecklistContext);
  if (!value) throw new Error("Checklist components need a ChecklistProvider above them.");
  return value;
}
