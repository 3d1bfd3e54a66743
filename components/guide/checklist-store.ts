// Where checklist ticks are kept. The public guide keeps them in the browser (localChecklistStore);
// the onboarding workspace passes a store backed by its server actions. Components only see this
// interface, so both work the same way.

export type ChecklistState = Record<string, boolean>;

export interface ChecklistStore {
  /** The ticks saved so far (item id → checked). */
  load(): Promise<ChecklistState> | ChecklistState;
  /** Save one tick. A rejected promise is shown to the reader and the box is set back. */
  set(itemId: string, checked: boolean): Promise<void> | void;
  /** Optional: hear about ticks made elsewhere (another tab, a colleague); returns an unsubscribe. */
  subscribe?(onChange: (state: ChecklistState) => void): () => void;
}

const PREFIX = "moxiengage-guide-checklist:";

function readState(key: string): ChecklistState {
  try {
    const raw = window.localStorage.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, boolean] => typeof e[1] === "boolean"));
  } catch {
    return {}; // storage blocked or corrupt: start empty rather than break the page
  }
}

/** Ticks in this browser's localStorage, one key per track; other tabs see changes through `storage` events. */
export function localChecklistStore(scope: string): ChecklistStore {
  const key = PREFIX + scope;
  return {
    load: () => readState(key),
    set(itemId, checked) {
      const state = readState(key);
      if (checked) state[itemId] = true;
      else delete state[itemId];
      window.localStorage.setItem(key, JSON.stringify(state));
    },
    subscribe(onChange) {
      const listener = (event: StorageEvent) => {
        if (event.key === key) onChange(readState(key));
      };
      window.addEventListener("storage", listener);
      return () => window.removeEventListener("storage", listener);
    },
  };
}

/** A store that keeps ticks in memory only (tests, previews). */
export function memoryChecklistStore(initial: ChecklistState = {}): ChecklistStore {
  let state = { ...initial };
  return {
    load: () => ({ ...state }),
    set(itemId, checked) {
      state = { ...state, [itemId]: checked };
    },
  };
}
