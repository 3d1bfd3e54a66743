import { countText, NOUNS } from "@/lib/staff/count-text";
import type { Metadata } from "next";
import { AuditFilters } from "@/components/staff/audit-filters";
import { AuditTable } from "@/components/staff/audit-table";
import { CursorPagination } from "@/components/staff/cursor-pagination";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { listAuditEvents } from "@/lib/staff/audit";
import { checklistItemLabel } from "@/lib/staff/checklist-labels";
import { parseAuditParams, withParams, type SearchParams } from "@/lib/staff/params";
import { signOutAction } from "../actions";

export const metadata: Metadata = { title: "Audit log", robots: { index: false } };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireStaffPage();
  const params = parseAuditParams(await searchParams);
  const result = await listAuditEvents(await db(), params);
  const { type, actor, q, from, to } = params;
  const href = (cursor: { before?: string; after?: string }) => withParams("/staff/audit", { type, actor, q, from, to, ...cursor });
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="audit" />
      <header>
        <h1 className="text-3xl font-bold">Audit log</h1>
        <p className="text-slate-700">Every change to every onboarding, newest first. Entries are never edited or removed.</p>
      </header>
      <AuditFilters params={params} />
      <p role="status" className="text-sm" data-testid="audit-summary">
        {result.items.length === 0
          ? params.cursor
            ? "No more events here."
            : "No events match these filters."
          : `${countText(result.items.length, NOUNS.event)} on this page, newest first.`}
      </p>
      {result.items.length > 0 && <AuditTable items={result.items} itemLabel={checklistItemLabel} />}
      {(result.items.length > 0 || params.cursor) && (
        <CursorPagination
          label="Pages of events"
          atTop={!params.cursor}
          newestHref={href({})}
          newerHref={result.newer ? href({ after: result.newer }) : null}
          olderHref={result.older ? href({ before: result.older }) : null}
        />
      )}
    </div>
  );
}
