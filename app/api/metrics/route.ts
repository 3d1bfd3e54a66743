import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { metricsResponse } from "@/lib/metrics/endpoint";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint, `Authorization: Bearer <METRICS_TOKEN>` (README "Metrics"). */
export async function GET(request: Request) {
  return metricsResponse(await db(), request.headers.get("authorization"), config().metricsToken);
}
