"use client";

import { useId, useRef, useState } from "react";
import type { ProbeStep } from "@/lib/exchange/steps";
import { STAGE_IDS, stageOrder } from "@/lib/exchange/steps";
import type { TestRunSummary, TestStreamEvent } from "@/lib/test-runs/events";
import { Button } from "@/components/ui/button";
import { FindingCards } from "@/components/diagnosis/finding-cards";
import { StepList } from "./step-list";

type Phase = "idle" | "running" | "done" | "error" | "cancelled";

/**
 * Runs the impersonation test on the server and shows each step as it arrives, with a progress bar, an
 * aria-live summary and a cancel button. `body` supplies what to test (typed-in details or the stored ones).
 */
export function LiveTest({
  body,
  onFieldErrors,
  label = "Run the test",
  onFinished,
  workspaceGuide,
  stages = STAGE_IDS,
  passedMessage = "The test passed: the service account can act for the test mailbox.",
}: {
  /** What to test; undefined (or a promise of it) when the form said no. */
  body: () => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
  onFieldErrors?: (errors: Record<string, string[]>) => void;
  label?: string;
  onFinished?: (run: TestRunSummary) => void;
  /** In the workspace: the guide track it shows, so findings' guide links open there. */
  workspaceGuide?: string;
  /** The stages the test has (EWS by default; the Graph app-access test has its own), for the progress bar. */
  stages?: readonly string[];
  passedMessage?: string;
}) {
  const [phase, setPhase] = useState<Phase>("idle");
  const [steps, setSteps] = useState<ProbeStep[]>([]);
  const [done, setDone] = useState<TestRunSummary | null>(null);
  const [message, setMessage] = useState("");
  const [sendTestMessage, setSendTestMessage] = useState(false);
  const controller = useRef<AbortController | null>(null);
  // Two tests can share a page (a Microsoft 365 brokerage's app-access and service-account tests): ids from React.
  const uid = useId();
  const ids = { send: `${uid}-send`, hint: `${uid}-send-hint`, progress: `${uid}-progress`, findings: `${uid}-findings` };

  async function start() {
    const payload = await body();
    if (!payload) return;
    controller.current = new AbortController();
    setPhase("running");
    setSteps([]);
    setDone(null);
    setMessage("The test has started.");
    try {
      const res = await fetch("/api/test-runs", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(sendTestMessage ? { ...payload, sendTestMessage: true } : payload),
        signal: controller.current.signal,
      });
      if (!res.ok) {
        // A refusal before the test started: one JSON error body (lib/http/api.ts), not a stream.
        const refused = (await res.json().catch(() => ({}))) as { error?: { message?: string; fieldErrors?: Record<string, string[]> } };
        setPhase("error");
        setMessage(refused.error?.message ?? "The test could not be run. Please try again.");
        if (refused.error?.fieldErrors) onFieldErrors?.(refused.error.fieldErrors);
        return;
      }
      if (!res.body) throw new Error("no response body");
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) handle(JSON.parse(line) as TestStreamEvent);
        }
      }
    } catch (error) {
      if ((error as Error).name === "AbortError") {
        setPhase("cancelled");
        setMessage("The test was cancelled.");
      } else {
        setPhase("error");
        setMessage("The connection to the server was lost before the test finished. Please try again.");
      }
    }
  }

  function handle(event: TestStreamEvent) {
    if (event.type === "step") {
      setSteps((prev) => {
        const next = prev.filter((s) => s.id !== event.step.id);
        next.push(event.step);
        next.sort((a, b) => stageOrder(a.id) - stageOrder(b.id));
        return next;
      });
      if (event.step.status === "running") setMessage(event.step.title);
    } else if (event.type === "done") {
      setDone(event.run);
      setPhase("done");
      setMessage(event.run.outcome === "passed" ? passedMessage : "The test failed. See what to fix below.");
      onFinished?.(event.run);
    } else {
      setPhase("error");
      setMessage(event.message);
    }
  }

  const finishedCount = steps.filter((s) => s.status !== "running").length;
  return (
    <div className="space-y-4" data-testid="live-test" data-outcome={done?.outcome ?? ""}>
      <div className="flex items-start gap-2">
        <input id={ids.send} type="checkbox" className="mt-1 h-4 w-4" checked={sendTestMessage} disabled={phase === "running"} onChange={(e) => setSendTestMessage(e.target.checked)} aria-describedby={ids.hint} />
        <div>
          <label htmlFor={ids.send} className="text-sm font-medium">Also send a test message</label>
          <p id={ids.hint} className="text-sm text-slate-600">One message titled &ldquo;MoxiEngage connection test&rdquo; from the test mailbox to itself, to check that the sync can send mail. It stays in that mailbox&apos;s Inbox and Sent Items.</p>
        </div>
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="button" onClick={start} disabled={phase === "running"}>{phase === "running" ? "Testing…" : label}</Button>
        {phase === "running" && <Button type="button" variant="secondary" onClick={() => controller.current?.abort()}>Cancel</Button>}
      </div>
      <p role="status" aria-live="polite" data-testid="test-summary" className={phase === "idle" ? "sr-only" : "font-medium"}>{message}</p>
      {phase !== "idle" && steps.length > 0 && (
        <div className="space-y-1">
          <label htmlFor={ids.progress} className="text-sm">Steps finished: {finishedCount} of {stages.length}</label>
          <progress id={ids.progress} max={stages.length} value={finishedCount} className="block h-2 w-full" />
        </div>
      )}
      {steps.length > 0 && <StepList steps={steps} />}
      {done && done.outcome === "failed" && (
        <section aria-labelledby={ids.findings} className="space-y-3">
          <h3 id={ids.findings} className="text-lg font-semibold">What to fix</h3>
          <FindingCards diagnosis={{ primaryCause: done.primaryCause as never, findings: done.findings }} headingLevel={4} workspaceGuide={workspaceGuide} />
        </section>
      )}
    </div>
  );
}
