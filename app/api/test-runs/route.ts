import { db } from "@/lib/db";
import { apiError, ndjsonResponse, parseJsonRequest } from "@/lib/http/api";
import { MAX_TEST_REQUEST_BYTES, parseTestRunRequest } from "@/lib/test-runs/request";
import { startTestRun } from "@/lib/test-runs/start";
import type { TestStreamEvent } from "@/lib/test-runs/events";

export const dynamic = "force-dynamic";

/** Runs the impersonation test and streams its steps as NDJSON while it runs (who may: lib/test-runs/start.ts). */
export async function POST(request: Request) {
  const parsed = await parseJsonRequest(request, { maxBytes: MAX_TEST_REQUEST_BYTES, parse: parseTestRunRequest });
  if (!parsed.ok) return parsed.response;
  const started = await startTestRun(await db(), { ...parsed.data, signal: request.signal });
  if (!started.ok) return apiError(started.code, started.retryAfterSeconds ? { headers: { "Retry-After": String(started.retryAfterSeconds) } } : {});
  return ndjsonResponse<TestStreamEvent>(started.run);
}
