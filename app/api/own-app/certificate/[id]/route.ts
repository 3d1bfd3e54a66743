import { currentLinkSession } from "@/lib/auth/request";
import { db } from "@/lib/db";
import { apiError } from "@/lib/http/api";
import { certificateFile } from "@/lib/app-access/own-app";

export const dynamic = "force-dynamic";

/** The public certificate of the workspace's own-app registration, to upload in the Entra admin center. Never the key. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const visitor = await currentLinkSession();
  if (!visitor) return apiError("link_session_ended");
  const file = await certificateFile(await db(), visitor.onboardingId, (await params).id);
  if (!file) return apiError("certificate_not_found");
  return new Response(file.body, {
    headers: { "content-type": "application/x-x509-ca-cert", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
