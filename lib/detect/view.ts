import type { Detection } from "./decide";

/**
 * A detection as the pages show it (workspace, public guide, staff detail): plain data for props and JSON,
 * public DNS and Microsoft facts only.
 */
export type MailHostView = Omit<Detection, "evidence"> & {
  /** The address that was looked up (postmaster@domain when a bare domain was given). */
  address: string;
  hostLabel: string;
  /** The evidence as the sentences shown. */
  evidence: string[];
  detectedAt: string;
};
