import { countText, NOUNS } from "@/lib/staff/count-text";
import Link from "next/link";
import type { Metadata } from "next";
import { DashboardFilters } from "@/components/staff/dashboard-filters";
import { FunnelChart } from "@/components/staff/funnel-chart";
import { OnboardingsTable } from "@/components/staff/onboardings-table";
import { Pagination } from "@/components/staff/pagination";
import { StateCounts } from "@/components/staff/state-counts";
import { TimeInStateChart } from "@/components/staff/time-in-state-chart";
import { StaffNav } from "@/components/staff/staff-nav";
import { requireStaffPage } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { STATE_LABELS } from "@/lib/onboarding/lifecycle";
import { loadDashboard } from "@/lib/staff/dashboard";
import { DETECTED_HOST_LABELS } from "@/lib/detect/decide";
import { parseDashboardParams, withParams, type SearchParams } from "@/lib/staff/params";
import { signOutAction } from "./actions";

export const metadata: Metadata = { title: "Staff dashboard", robots: { index: false } };

export default async function StaffDashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireStaffPage();
  const raw = await searchParams;
  const params = parseDashboardParams(raw);
  const data = await loadDashboard(await db(), params);
  const { list } = data;
  const filtered = Boolean(params.q || params.state || params.host);
  const describe = [params.q && `matching “${params.q}”`, params.state && `in state ${STATE_LABELS[params.state]}`, params.host && `with mail host ${DETECTED_HOST_LABELS[params.host]}`].filter(Boolean).join(", ");
  const href = (page: number) => withParams("/staff", { q: params.q, state: params.state, host: params.host, sort: params.sort === "activity_desc" ? undefined : params.sort, page: page === 1 ? undefined : page });

  return (
    <div className="space-y-8">
      <StaffNav staff={session.staff} signOut={signOutAction} current="dashboard" />
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold">Onboardings</h1>
          <p className="text-slate-700">Where every brokerage stands.</p>
        </div>
        <Link href="/staff/onboardings/new" className="inline-flex min-h-11 items-center rounded bg-brand-600 px-4 py-2 font-medium text-white no-underline hover:bg-brand-700 hover:text-white">
          New onboarding
        </Link>
      </header>
      {raw.denied === "techops" && session.staff.role !== "techops" && (
        <p role="alert" className="rounded border border-amber-700 bg-amber-50 px-3 py-2">That page is for TechOps only.</p>
      )}

      {data.totalOnboardings === 0 ? (
        <section aria-labelledby="empty-title" className="space-y-3 rounded-lg border border-dashed border-slate-400 bg-white p-8 text-center">
          <h2 id="empty-title" className="text-xl font-semibold">No onboardings yet</h2>
          <p>Create the first one: you get an invite link to send to the brokerage&apos;s admin.</p>
          <p><Link href="/staff/onboardings/new">Create an onboarding</Link></p>
        </section>
      ) : (
        <>
          <StateCounts counts={data.counts} active={params.state} />
          <section aria-labelledby="list-title" className="space-y-3">
            <h2 id="list-title" className="text-lg font-semibold">All onboardings</h2>
            <DashboardFilters params={params} />
            <p role="status" className="text-sm" data-testid="list-summary">
              {list.total === 0
                ? `No onboardings ${describe}.`
                : `${countText(list.total, NOUNS.onboarding)}${describe ? ` ${describe}` : ""}.`}
            </p>
            {list.items.length > 0 && (
              <>
                <OnboardingsTable items={list.items} mailHosts={data.mailHosts} connections={data.connections} rosterReach={data.rosterReach} caption={filtered ? `Onboardings ${describe}` : "All onboardings"} />
                <Pagination page={list.page} pageCount={list.pageCount} total={list.total} noun={NOUNS.onboarding} href={href} />
              </>
            )}
            {list.total > 0 && list.items.length === 0 && (
              <p>
                There is no page {list.page} of this list. <Link href={href(1)}>Go to the first page</Link>.
              </p>
            )}
          </section>
          <div className="grid gap-6 lg:grid-cols-2">
            <FunnelChart stages={data.funnel} />
            <TimeInStateChart rows={data.timeInState} since={data.timeInStateSince} />
          </div>
        </>
      )}
    </div>
  );
}
