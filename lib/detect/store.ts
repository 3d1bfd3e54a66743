import "server-only";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "@/lib/db/schema";
import { TRACKS, type Track } from "@/lib/guide/ids";
import { DETECTED_HOST_LABELS, DETECTED_HOSTS, type Confidence, type DetectedHost } from "./decide";
import type { MailHostView } from "./view";

type Db = Kysely<Database> | Transaction<Database>;

/** The latest detection of an onboarding's mail host (one row per onboarding, replaced on each detection). */
export async function saveMailHost(db: Db, onboardingId: string, view: MailHostView): Promise<void> {
  const row = {
    onboarding_id: onboardingId,
    address: view.address,
    host: view.host,
    track: view.track,
    confidence: view.confidence,
    tenant_id: view.tenantId,
    ews_url: view.ewsUrl,
    detection: JSON.stringify({ domain: view.domain, summary: view.summary, evidence: view.evidence, alsoTracks: view.alsoTracks }),
    detected_at: view.detectedAt,
  };
  await db
    .insertInto("mail_host_detections")
    .values(row)
    .onConflict((oc) => oc.column("onboarding_id").doUpdateSet({ ...row, onboarding_id: undefined }))
    .execute();
}

const isTrack = (t: unknown): t is Track => typeof t === "string" && (TRACKS as readonly string[]).includes(t);

export async function getMailHost(db: Db, onboardingId: string): Promise<MailHostView | undefined> {
  const row = await db.selectFrom("mail_host_detections").selectAll().where("onboarding_id", "=", onboardingId).executeTakeFirst();
  if (!row) return undefined;
  const host = ((DETECTED_HOSTS as readonly string[]).includes(row.host) ? row.host : "unknown") as DetectedHost;
  const extra = JSON.parse(row.detection) as { domain?: string; summary?: string; evidence?: string[]; alsoTracks?: unknown[] };
  return {
    address: row.address,
    domain: extra.domain ?? row.address.slice(row.address.lastIndexOf("@") + 1),
    host,
    hostLabel: DETECTED_HOST_LABELS[host],
    track: isTrack(row.track) ? row.track : null,
    alsoTracks: (extra.alsoTracks ?? []).filter(isTrack),
    confidence: row.confidence as Confidence,
    tenantId: row.tenant_id,
    ewsUrl: row.ews_url,
    summary: extra.summary ?? "",
    evidence: Array.isArray(extra.evidence) ? extra.evidence.filter((e): e is string => typeof e === "string") : [],
    detectedAt: row.detected_at,
  };
}
