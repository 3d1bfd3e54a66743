import { health } from "@/lib/health";
import { respond } from "@/lib/http/api";

export const dynamic = "force-dynamic";

export async function GET() {
  const result = await health();
  return respond(result.body, { status: result.status });
}
