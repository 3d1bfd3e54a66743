"use client";

import { useActionState, useCallback, useEffect, useMemo, useState } from "react";
import type { ActionState } from "@/lib/actions/state";
import type { RosterView } from "@/lib/roster/workspace";
import { rosterListSchema } from "@/lib/validation/roster";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/error-summary";

type Action<T = unknown> = (s: ActionState<T>, f: FormData) => Promise<ActionState<T>>;
type Filter = "all" | "failed" | "reachable" | "pending";
type SubmitData = { errors: { line: number; message: string }[]; flagged: string[]; duplicates: number; total: number };

/**
 * "Check every agent's mailbox": paste or upload the agents' addresses, watch the check (bar, counts by outcome,
 * time left), read the outcome per mailbox with the guide step that fixes it, filter, download as CSV, re-check
 * the failed ones. Data arrive as props (the first view) and then from GET /api/roster while a check runs.
 */
export function RosterSection({ initial, submit, recheck, cancel }: { initial: RosterView; submit: Action<SubmitData>; recheck: Action; cancel: Action }) {
  const [view, setView] = useState(initial);
  const [submitted, submitAction, submitting] = useActionState(submit, { status: "idle" } as ActionState<SubmitData>);
  const [rechecked, recheckAction, rechecking] = useActionState(recheck, { status: "idle" } as ActionState);
  const [cancelled, cancelAction] = useActionState(cancel, { status: "idle" } as ActionState);
  const [list, setList] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>("all");
  const running = view.check?.state === "running";

  const refresh = useCallback(async () => {
    const res = await fetch("/api/roster", { cache: "no-store" });
    if (res.ok) setView((await res.json()) as RosterView);
  }, []);
  // A new check was started: read its progress now, then every second while it runs.
  useEffect(() => {
    if (submitted.status !== "success" && rechecked.status !== "success" && cancelled.status !== "success") return;
    const t = setTimeout(() => void refresh(), 0);
    return () => clearTimeout(t);
  }, [submitted, rechecked, cancelled, refresh]);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void refresh(), 1000);
    return () => clearInterval(t);
  }, [running, refresh]);

  const titles = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of view.mailboxes) if (r.cause && r.title && !m.has(r.cause)) m.set(r.cause, r.title);
    return m;
  }, [view.mailboxes]);
  const shown = view.mailboxes.filter((m) => filter === "all" || m.outcome === filter).slice(0, 500);
  const { counts, check } = view;
  const done = check ? check.done : 0;
  const percent = check && check.total > 0 ? Math.round((done / check.total) * 100) : 0;
  const serverErrors = submitted.status === "invalid" ? submitted.fieldErrors.list : undefined;
  const lineErrors = submitted.status === "success" ? submitted.data?.errors ?? [] : [];
  const flagged = submitted.status === "success" ? submitted.data?.flagged ?? [] : [];

  return (
    <div className="space-y-5">
      <p>
        MoxiEngage works with each agent&apos;s own mailbox. Paste the agents&apos; addresses (one per line, or a CSV with an
        email column; up to 10,000) and we check every mailbox with the access you verified, so a missing licence, an alias
        or a mailbox outside the scope shows up now rather than as a sync ticket after go-live.
      </p>
      <form
        action={submitAction}
        onSubmit={(e) => {
          const r = rosterListSchema.safeParse({ list });
          if (!r.success) {
            e.preventDefault();
            setClientError(r.error.issues[0]!.message);
          } else setClientError(null);
        }}
        className="space-y-3"
      >
        <div>
          <label htmlFor="roster-list" className="block font-medium">Agents&apos; email addresses</label>
          <p id="roster-list-hint" className="text-sm text-slate-700">One per line, or paste a CSV with a header row.</p>
          <textarea
            id="roster-list"
            name="list"
            rows={6}
            value={list}
            onChange={(e) => setList(e.target.value)}
            aria-describedby={`roster-list-hint${clientError || serverErrors ? " roster-list-error" : ""}`}
            aria-invalid={clientError || serverErrors ? true : undefined}
            className="mt-1 w-full rounded border border-slate-400 p-2 font-mono text-sm"
            spellCheck={false}
          />
          {(clientError || serverErrors) && (
            <div id="roster-list-error" className="mt-1 text-sm text-red-800">
              {clientError && <p>{clientError}</p>}
              {serverErrors?.map((m) => <p key={m}>{m}</p>)}
            </div>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <label className="text-sm">
            <span className="mr-2">Or choose a file (.csv or .txt)</span>
            <input
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) setList(await f.text());
              }}
            />
          </label>
          <Button type="submit" disabled={submitting || running}>Check the mailboxes</Button>
        </div>
      </form>
      {submitted.status === "invalid" && <p role="alert" className="text-red-800">{submitted.message}</p>}
      <FormMessage state={submitted.status === "invalid" ? { status: "idle" } : submitted} />
      {lineErrors.length > 0 && (
        <details className="text-sm">
          <summary>{lineErrors.length} line{lineErrors.length === 1 ? "" : "s"} could not be read</summary>
          <ul className="ml-5 list-disc">{lineErrors.map((e) => <li key={e.line}>{e.message}</li>)}</ul>
        </details>
      )}
      {flagged.length > 0 && (
        <details className="text-sm" data-testid="roster-flagged">
          <summary>{flagged.length} address{flagged.length === 1 ? "" : "es"} outside your brokerage&apos;s domains, not checked</summary>
          <ul className="ml-5 list-disc">{flagged.map((a) => <li key={a}>{a}</li>)}</ul>
        </details>
      )}

      {check && (
        <section aria-labelledby="roster-progress-title" className="space-y-3">
          <h3 id="roster-progress-title" className="text-lg font-semibold">
            {running ? "Checking the mailboxes…" : check.state === "cancelled" ? "Check cancelled" : check.state === "failed" ? "The check could not run" : "Check finished"}
          </h3>
          <div className="h-3 w-full rounded bg-slate-200" role="progressbar" aria-label="Mailboxes checked" aria-valuemin={0} aria-valuemax={check.total} aria-valuenow={done}>
            <div className="h-3 rounded bg-blue-700" style={{ width: `${percent}%` }} />
          </div>
          <p data-testid="roster-counts" aria-live="polite">
            {done.toLocaleString("en-US")} of {check.total.toLocaleString("en-US")} checked · <strong>{counts.reachable.toLocaleString("en-US")}</strong> reachable ·{" "}
            <strong>{counts.failed.toLocaleString("en-US")}</strong> not reachable
            {running && check.etaSeconds !== null ? ` · about ${check.etaSeconds < 60 ? `${check.etaSeconds} s` : `${Math.ceil(check.etaSeconds / 60)} min`} left` : ""}
          </p>
          {Object.keys(counts.byCause).length > 0 && (
            <ul className="text-sm" data-testid="roster-causes">
              {Object.entries(counts.byCause).map(([cause, n]) => (
                <li key={cause}>{titles.get(cause) ?? cause}: {n}</li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap gap-3">
            {running ? (
              <form action={cancelAction}><Button type="submit" variant="secondary">Cancel the check</Button></form>
            ) : (
              counts.failed > 0 && (
                <form action={recheckAction}>
                  <input type="hidden" name="scope" value="failed" />
                  <Button type="submit" variant="secondary" disabled={rechecking}>Re-check the failed ones</Button>
                </form>
              )
            )}
            <a href="/api/roster?format=csv" download className="self-center underline">Download the results (CSV)</a>
          </div>
          <FormMessage state={rechecked} />
        </section>
      )}

      {view.mailboxes.length > 0 && (
        <section aria-labelledby="roster-table-title" className="space-y-2">
          <h3 id="roster-table-title" className="text-lg font-semibold">Mailboxes</h3>
          <label className="text-sm">
            Show{" "}
            <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} className="rounded border border-slate-400 p-1">
              <option value="all">all</option>
              <option value="failed">not reachable</option>
              <option value="reachable">reachable</option>
              <option value="pending">not checked yet</option>
            </select>
          </label>
          <table className="w-full text-left text-sm" data-testid="roster-table">
            <caption className="sr-only">Outcome per mailbox</caption>
            <thead><tr><th scope="col" className="py-1">Mailbox</th><th scope="col">Outcome</th><th scope="col">What to do</th></tr></thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.address} className="border-t border-slate-200" data-cause={m.cause ?? m.outcome}>
                  <td className="py-1 break-all">{m.address}</td>
                  <td>{m.outcome === "reachable" ? "Reachable" : m.outcome === "pending" ? "Not checked yet" : m.title}</td>
                  <td>{m.guideStep && <a href={m.guideStep}>Guide step that fixes it<span className="sr-only"> for {m.address}</span></a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 500 && <p className="text-sm">The first 500 are shown; download the CSV for all of them.</p>}
        </section>
      )}
    </div>
  );
}
