// Microsoft's Exchange Online retirements that the guidance quotes. Kept in one place so the wording
// stays consistent; when `lib/guide/platform.ts` lands, re-export from there instead of editing text.

export const EXCHANGE_ONLINE_DATES = {
  /** Basic authentication for EWS switched off in Exchange Online. */
  basicAuthOff: "1 October 2022",
  /** The ApplicationImpersonation management role removed from Exchange Online. */
  applicationImpersonationRemoved: "February 2025",
  /** Exchange Online starts blocking EWS (only app IDs on EwsAllowedAppIDs pass). */
  ewsBlockingStarts: "1 October 2026",
  /** EWS in Exchange Online switched off for good. */
  ewsOff: "1 April 2027",
} as const;
