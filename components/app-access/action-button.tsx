"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/state";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

/** One button that runs one server action, with its pending label and its message. */
export function ActionButton({ action, label, pendingLabel, variant = "primary", name }: { action: Action; label: string; pendingLabel: string; variant?: "primary" | "secondary"; name: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as ActionState);
  return (
    <form action={formAction} aria-label={name} className="space-y-2">
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
