import { currentLinkSession } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { config } from "@/lib/config";
import { apiError, respond } from "@/lib/http/api";
import { rosterCsv, rosterView } from "@/lib/roster/workspace";

export const dynamic = "force-dynamic";

/** The workspace's roster: progress and outcomes as JSON (polled while a check runs), or `?format=csv` to download. */
export async function GET(request: Request) {
  const visitor = await currentLinkSession(["brokerage"]);
  if (!visitor) return apiError("link_session_ended");
  const database = await db();
  const format = new URL(request.url).searchParams.get("format");
  if (format === "csv") {
    return new Response(await rosterCsv(database, visitor.onboardingId, config().appUrl), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="agents-mailbox-check.csv"', "cache-control": "no-store" },
    });
  }
  if (format !== null && format !== "json") return apiError("invalid_request");
  return respond(await rosterView(database, visitor.onboardingId));
}
