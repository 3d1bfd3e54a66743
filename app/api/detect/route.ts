import { z } from "zod";
import { clientKey, currentLinkSession } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { detectAddress } from "@/lib/detect/service";
import { messageFor } from "@/lib/errors";
import { isSameOriginRequest } from "@/lib/http/origin";
import { detectRequestSchema, MAX_DETECT_REQUEST_BYTES } from "@/lib/validation/detect";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

function refuse(status: number, code: string, message: string, extra: { fieldErrors?: Record<string, string[]>; headers?: Record<string, string> } = {}) {
  return Response.json({ error: { code, message, ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}) } }, { status, headers: { ...NO_STORE, ...extra.headers } });
}

/** "Where is this address's mail hosted?" — for the public guide and the workspace (counted per link session there). */
export async function POST(request: Request) {
  if (!isSameOriginRequest(request.headers)) return refuse(403, "cross_site", messageFor("cross_site"));
  const raw = await request.text();
  if (raw.length > MAX_DETECT_REQUEST_BYTES) return refuse(413, "too_large", "The request is too large.");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return refuse(400, "invalid_json", "The request is not valid JSON.");
  }
  const parsed = detectRequestSchema.safeParse(json);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    return refuse(400, "invalid_input", fieldErrors.address?.[0] ?? "Send one field, address.", { fieldErrors });
  }
  const visitor = await currentLinkSession();
  const result = await detectAddress(await db(), parsed.data.address, { client: await clientKey(), linkSessionId: visitor?.linkId });
  if (!result.ok) {
    if (result.code === "rate_limited") return refuse(429, "rate_limited", "Too many lookups in a short time. Please wait a few minutes and try again.", { headers: { "Retry-After": "600" } });
    return refuse(400, "invalid_address", result.message, { fieldErrors: { address: [result.message] } });
  }
  return Response.json({ detection: result.view }, { headers: NO_STORE });
}
