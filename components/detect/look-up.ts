import type { MailHostView } from "@/lib/detect/view";

export type LookUpAnswer = { ok: true; view: MailHostView } | { ok: false; code: string; message: string };

/** Asks the server where an address's (or domain's) mail is hosted: `POST /api/detect`, for every browser caller. */
export async function lookUpMailHost(address: string): Promise<LookUpAnswer> {
  try {
    const response = await fetch("/api/detect", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ address }) });
    const body = (await response.json().catch(() => ({}))) as { detection?: MailHostView; error?: { code: string; message: string } };
    if (response.ok && body.detection) return { ok: true, view: body.detection };
    return { ok: false, code: body.error?.code ?? "unknown", message: body.error?.message ?? "The lookup did not work. Please try again." };
  } catch {
    return { ok: false, code: "network", message: "The lookup did not reach the server. Check your connection and try again." };
  }
}
