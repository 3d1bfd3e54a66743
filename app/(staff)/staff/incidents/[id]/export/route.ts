import { currentStaff } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { exportIncident } from "@/lib/incidents/manage";
import { IncidentError } from "@/lib/incidents/open";

export const dynamic = "force-dynamic";

const NOT_FOUND = () => new Response("Not found", { status: 404, headers: { "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" } });

/** The incident report as CSV, TechOps only (anyone else: not found); the export is audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const staff = await currentStaff();
  if (!staff || !staff.secondFactorDone || staff.staff.role !== "techops") return NOT_FOUND();
  const { id } = await params;
  if (!/^[0-9a-z]{26}$/.test(id)) return NOT_FOUND();
  try {
    const { filename, csv } = await exportIncident(await db(), id, { kind: "techops", id: staff.staff.id, label: staff.staff.name });
    return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof IncidentError && error.code === "not_found") return NOT_FOUND();
    throw error;
  }
}
