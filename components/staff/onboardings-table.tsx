import Link from "next/link";
import { DETECTED_HOST_LABELS, type DetectedHost } from "@/lib/detect/decide";
import type { Onboarding } from "@/lib/onboarding/store";
import { rosterReachText, type ConnectionSummary, type RosterReach } from "@/lib/staff/dashboard";
import { StateBadge } from "./state-badge";
import { When } from "./when";

/** One page of onboardings. The brokerage name links to its detail page. */
const CONSENT_LABEL: Record<ConnectionSummary["consent"], string> = { granted: "consent granted", unconfirmed: "consent not confirmed", none: "no consent yet" };

export function OnboardingsTable({
  items,
  caption,
  mailHosts = {},
  connections = {},
  rosterReach = {},
}: {
  items: Onboarding[];
  caption: string;
  mailHosts?: Record<string, DetectedHost>;
  connections?: Record<string, ConnectionSummary>;
  /** "Agents reachable N of M" from the latest finished roster check (absent: "—"). */
  rosterReach?: Record<string, RosterReach>;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="onboardings-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2">Brokerage</th>
            <th scope="col" className="px-3 py-2">Contact</th>
            <th scope="col" className="px-3 py-2">State</th>
            <th scope="col" className="px-3 py-2">Mail host</th>
            <th scope="col" className="px-3 py-2">Connection</th>
            <th scope="col" className="px-3 py-2">Agents reachable</th>
            <th scope="col" className="px-3 py-2">Last activity</th>
            <th scope="col" className="px-3 py-2">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id} className="border-t border-slate-200">
              <th scope="row" className="px-3 py-2 font-medium">
                <Link href={`/staff/onboardings/${o.id}`} className="break-words">{o.brokerageName}</Link>
              </th>
              <td className="px-3 py-2">
                <span className="block break-words">{o.contactName}</span>
                <span className="block break-all text-slate-700">{o.contactEmail}</span>
              </td>
              <td className="px-3 py-2"><StateBadge state={o.state} /></td>
              <td className="px-3 py-2">{mailHosts[o.id] ? DETECTED_HOST_LABELS[mailHosts[o.id]!] : <span className="text-slate-600">Not looked up yet</span>}</td>
              <td className="px-3 py-2" data-testid="connection">
                {connections[o.id] ? (
                  <>
                    {connections[o.id]!.registration === "own" ? "App access · own app registration" : <>App access · {CONSENT_LABEL[connections[o.id]!.consent]}</>}
                    {connections[o.id]!.tenantId && <span className="block break-all text-slate-700">tenant {connections[o.id]!.tenantId}</span>}
                    {connections[o.id]!.credentialExpiresAt && (
                      <span className="block text-slate-700" data-testid="credential-expires">
                        {connections[o.id]!.credentialKind === "secret" ? "client secret" : "certificate"} expires <time dateTime={connections[o.id]!.credentialExpiresAt!}>{connections[o.id]!.credentialExpiresAt!.slice(0, 10)}</time>
                      </span>
                    )}
                  </>
                ) : (
                  "Service account"
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap" data-testid="roster-reach">{rosterReachText(rosterReach[o.id])}</td>
              <td className="px-3 py-2"><When iso={o.lastActivityAt} /></td>
              <td className="px-3 py-2"><When iso={o.createdAt} dateOnly /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
