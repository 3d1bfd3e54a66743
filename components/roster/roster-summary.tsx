import type { RosterProgress } from "@/lib/roster/store";
import { RefreshWhile } from "@/components/workspace/refresh-while";

/** Staff: where the brokerage's roster check stands (counts only), refreshed while a check runs. */
export function RosterSummary({ progress, causeTitles }: { progress: RosterProgress; causeTitles: Record<string, string> }) {
  const { check, counts } = progress;
  if (counts.total === 0) return <p>No roster yet: the brokerage has not pasted its agents&apos; addresses.</p>;
  const running = check?.state === "running";
  return (
    <div className="space-y-2">
      <RefreshWhile active={running} />
      <p data-testid="staff-roster-counts">
        Agents reachable: <strong>{counts.reachable.toLocaleString("en-US")}</strong> of {counts.total.toLocaleString("en-US")}
        {counts.pending > 0 ? ` · ${counts.pending.toLocaleString("en-US")} not checked yet` : ""}
        {running && check ? ` · checking, ${check.done.toLocaleString("en-US")} of ${check.total.toLocaleString("en-US")}${check.etaSeconds !== null ? `, about ${check.etaSeconds} s left` : ""}` : ""}
      </p>
      {Object.keys(counts.byCause).length > 0 && (
        <ul className="ml-5 list-disc text-sm">
          {Object.entries(counts.byCause).map(([cause, n]) => (
            <li key={cause}>{causeTitles[cause] ?? cause}: {n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
