import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { apiError } from "@/lib/http/api";
import { scrapeMetrics } from "./scrape";

/** True when the header is `Bearer <expected>`; compared in constant time over digests, so length leaks nothing. */
export function bearerMatches(authorization: string | null, expected: string | undefined): boolean {
  if (!expected || !authorization) return false;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match) return false;
  const given = createHash("sha256").update(match[1]!, "utf8").digest();
  const want = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(given, want);
}

/**
 * GET /api/metrics: the Prometheus text exposition, only for the configured bearer token. Without the setting
 * (metrics off), without the header or with a wrong token: 401, the same answer every time.
 */
export async function metricsResponse(db: Kysely<Database>, authorization: string | null, token: string | undefined): Promise<Response> {
  if (!bearerMatches(authorization, token)) return apiError("metrics_token_invalid", { headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  const { contentType, body } = await scrapeMetrics(db);
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
