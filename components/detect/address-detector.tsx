"use client";

import { useState } from "react";
import type { MailHostView } from "@/lib/detect/view";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { lookUpMailHost } from "./look-up";
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
    const found = await lookUpMailHost(address);
    if (found.ok) setAnswer({ kind: "found", view: found.view });
    else setAnswer({ kind: "error", message: found.message, field: found.code === "invalid_address" || found.code === "invalid_input" });
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
