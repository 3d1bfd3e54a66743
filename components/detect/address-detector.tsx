"use client";

import { useState } from "react";
import type { MailHostView } from "@/lib/detect/view";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { MailHostResult } from "./mail-host-result";

type Answer = { kind: "idle" } | { kind: "busy" } | { kind: "found"; view: MailHostView } | { kind: "error"; message: string; field: boolean };

/**
 * "Not sure where your mail is hosted?" — an address or a domain, looked up on the server (public DNS and
 * Microsoft's public endpoints; nothing about the mailbox itself is read).
 */
export function AddressDetector({ defaultAddress = "", guideLinks = true }: { defaultAddress?: string; guideLinks?: boolean }) {
  const [answer, setAnswer] = useState<Answer>({ kind: "idle" });
  const [address, setAddress] = useState(defaultAddress);

  async function lookUp() {
    setAnswer({ kind: "busy" });
    try {
      const response = await fetch("/api/detect", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ address }) });
      const body = (await response.json().catch(() => ({}))) as { detection?: MailHostView; error?: { code: string; message: string } };
      if (response.ok && body.detection) setAnswer({ kind: "found", view: body.detection });
      else setAnswer({ kind: "error", message: body.error?.message ?? "The lookup did not work. Please try again.", field: body.error?.code === "invalid_address" || body.error?.code === "invalid_input" });
    } catch {
      setAnswer({ kind: "error", message: "The lookup did not reach the server. Check your connection and try again.", field: false });
    }
  }

  return (
    <div className="mt-3 space-y-3">
      <form
        className="flex flex-wrap items-end gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void lookUp();
        }}
      >
        <div className="min-w-0 grow basis-64">
          <Field id="detect-address" label="Your email address or domain" hint="For example jordan@yourbrokerage.com or yourbrokerage.com." errors={answer.kind === "error" && answer.field ? [answer.message] : undefined}>
            {(d, inv) => (
              <TextInput id="detect-address" name="address" type="text" inputMode="email" autoComplete="email" maxLength={320} value={address} onChange={(e) => setAddress(e.currentTarget.value)} describedBy={d} invalid={inv} />
            )}
          </Field>
        </div>
        <Button type="submit" disabled={answer.kind === "busy"}>{answer.kind === "busy" ? "Looking up…" : "Find my mail host"}</Button>
      </form>
      <div role="status" aria-live="polite" className="max-w-3xl">
        {answer.kind === "found" && <MailHostResult view={answer.view} guideLinks={guideLinks} />}
        {answer.kind === "error" && !answer.field && <p className="font-medium text-red-700">{answer.message}</p>}
      </div>
    </div>
  );
}
