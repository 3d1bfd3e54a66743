import { db } from "@/lib/db";
import { detectForRequest } from "@/lib/detect/service";
import { apiError, parseJsonRequest, respond } from "@/lib/http/api";
import { detectRequestSchema, MAX_DETECT_REQUEST_BYTES } from "@/lib/validation/detect";

export const dynamic = "force-dynamic";

/** "Where is this address's mail hosted?" — for the public guide and the workspace (counted per link session there). */
export async function POST(request: Request) {
  const parsed = await parseJsonRequest(request, {
    maxBytes: MAX_DETECT_REQUEST_BYTES,
    parse: (json) => detectRequestSchema.safeParse(json),
    message: (fieldErrors) => fieldErrors.address?.[0] ?? "Send one field, address.",
  });
  if (!parsed.ok) return parsed.response;
  const result = await detectForRequest(await db(), parsed.data.address);
  if (!result.ok) {
    if (result.code === "rate_limited") return apiError("lookups_rate_limited", { headers: { "Retry-After": "600" } });
    return apiError("invalid_address", { message: result.message, fieldErrors: { address: [result.message] } });
  }
  return respond({ detection: result.view });
}
