import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StaffNav } from "@/components/staff/staff-nav";
import { When } from "@/components/staff/when";
import { requireStaffPage } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { listIncidents } from "@/lib/incidents/report";
import { signOutAction } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Security incidents (TechOps)", robots: { index: false } };

/** TechOps only: to anyone else the page does not exist. */
export default async function IncidentsPage() {
  const session = await requireStaffPage();
  if (session.staff.role !== "techops") notFound();
  const incidents = await listIncidents(await db());
  return (
    <div className="space-y-6">
      <StaffNav staff={session.staff} signOut={signOutAction} current="incidents" />
      <h1 className="text-2xl font-bold">Security incidents</h1>
      <p>
        When credentials may have been exposed, ask every affected brokerage to rotate at once and follow it through.{" "}
        <Link href="/staff/incidents/new" className="font-semibold">Open a new incident</Link>
      </p>
      {incidents.length === 0 ? (
        <p>No incidents so far.</p>
      ) : (
        <table className="w-full border-collapse text-left">
          <thead>
            <tr className="border-b border-slate-300"><th scope="col" className="py-2">Incident</th><th scope="col">Opened</th><th scope="col">Brokerages</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr key={i.id} className="border-b border-slate-200">
                <td className="py-2"><Link href={`/staff/incidents/${i.id}`}>{i.name}</Link></td>
                <td><When iso={i.createdAt} /> by {i.createdByLabel}</td>
                <td>{i.members}</td>
                <td>{i.closedAt ? "Closed" : "Open"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
