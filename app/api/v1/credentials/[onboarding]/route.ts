import { clientOf } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { serviceCredentialRequest } from "@/lib/credentials/service-api";

export const dynamic = "force-dynamic";

/**
 * Service API for the MoxiEngage sync platform: `GET /api/v1/credentials/<onboarding>` with
 * `Authorization: Bearer <service token>`. All the rules (token, scope, rate limits, verified-only, audit) live
 * in lib/credentials/service-api.ts; this handler only adds the no-store headers.
 */
export async function GET(request: Request, context: { params: Promise<{ onboarding: string }> }) {
  const { onboarding } = await context.params;
  const clientKey = clientOf(request.headers);
  const result = await serviceCredentialRequest(await db(), { authorization: request.headers.get("authorization"), onboardingId: onboarding, clientKey });
  return Response.json(result.body, {
    status: result.status,
    headers: { ...result.headers, "Cache-Control": "no-store", Pragma: "no-cache" },
  });
}
