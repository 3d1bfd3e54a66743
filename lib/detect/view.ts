import type { Track } from "@/lib/guide/ids";
import type { Confidence, DetectedHost } from "./decide";

/**
 * A detection as the pages show it (workspace, public guide, staff detail): plain data for props and JSON,
 * public DNS and Microsoft facts only.
 */
export type MailHostView = {
  /** The address that was looked up (postmaster@domain when a bare domain was given). */
  address: string;
  domain: string;
  host: DetectedHost;
  hostLabel: string;
  track: Track | null;
  alsoTracks: Track[];
  confidence: Confidence;
  tenantId: string | null;
  ewsUrl: string | null;
  summary: string;
  evidence: string[];
  detectedAt: string;
};
