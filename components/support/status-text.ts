import type { AccessStatus } from "@/lib/support/access";

/** Request outcomes in words, for the workspace panel and the staff page alike. */
export const ACCESS_STATUS_LABELS: Record<AccessStatus, string> = {
  requested: "Waiting for an answer",
  approved: "Approved",
  declined: "Declined",
  revoked: "Withdrawn",
  expired: "Expired",
  used: "Used (single use)",
};

export const ACCESS_MODE_LABELS = { "single-use": "once", "time-boxed": "as often as needed until the end of the period" } as const;

export function hoursText(hours: number) {
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}
