// Permanent anchors of the setup guide. Other modules (diagnosis, status panels, mail) link to these;
// never rename one without a redirect — links to them are stored in test-run findings.

export const TRACKS = ["microsoft-365", "microsoft-365-reseller", "exchange-server", "hosted-exchange"] as const;
export type Track = (typeof TRACKS)[number];

/** A stored or submitted track, read once: a known track, or null. */
export function parseTrack(value: string | null | undefined): Track | null {
  return (TRACKS as readonly string[]).includes(value ?? "") ? (value as Track) : null;
}

export const TRACK_LABELS: Record<Track, string> = {
  "microsoft-365": "Microsoft 365 (Exchange Online)",
  "microsoft-365-reseller": "Microsoft 365 through a reseller (GoDaddy and similar)",
  "exchange-server": "Exchange Server on premises",
  "hosted-exchange": "Hosted Exchange (a provider runs Exchange Server for you)",
};

/**
 * The Microsoft 365 app-access track (MoxiWorks's Entra app, admin consent, RBAC for Applications, Microsoft
 * Graph). Kept out of TRACKS, which are the places mailboxes live (an onboarding's track): an onboarding on
 * "microsoft-365" whose connection method is graph_app follows this guide.
 */
export const APP_ACCESS_TRACK = "microsoft-365-app-access" as const;
/**
 * The same with the brokerage's own single-tenant app registration and a certificate the workspace makes (issue 13).
 * Its group and RBAC sections are the app-access track's own (same ids: ticks carry over).
 */
export const OWN_APP_TRACK = "microsoft-365-own-app" as const;
export type GuideTrack = Track | typeof APP_ACCESS_TRACK | typeof OWN_APP_TRACK;
/** Every guide page, the recommended Microsoft 365 track first. */
export const GUIDE_TRACKS: readonly GuideTrack[] = [APP_ACCESS_TRACK, OWN_APP_TRACK, ...TRACKS];
export const GUIDE_TRACK_LABELS: Record<GuideTrack, string> = {
  [APP_ACCESS_TRACK]: "Microsoft 365 — app access (recommended)",
  [OWN_APP_TRACK]: "Microsoft 365 — app access with your own app registration",
  ...TRACK_LABELS,
};

/** Section ids of the app-access track; the diagnosis guidance links to them. */
export const APP_ACCESS_SECTION_IDS = [
  "grant-consent",
  "create-agent-group",
  "scope-app-access",
  "check-app-access",
  "test-app-access",
  "troubleshoot-app-access",
] as const;
export type AppAccessSectionId = (typeof APP_ACCESS_SECTION_IDS)[number];

/** Section ids of the own-app track beyond the shared app-access ones. */
export const OWN_APP_SECTION_IDS = ["register-own-app", "upload-certificate", "no-graph-permissions", "test-own-app", "renew-certificate", "troubleshoot-own-app"] as const;
export type OwnAppSectionId = (typeof OWN_APP_SECTION_IDS)[number];

/** Section ids, shared by every track (a track may not have every section). */
export const SECTION_IDS = [
  "overview",
  "service-account-setup",
  "information-gathering",
  "next-steps",
  "security",
  "admin-instructions",
  "create-service-account",
  "grant-impersonation",
  "password-never-expires",
  "test-impersonation",
  "troubleshoot-impersonation",
  "allow-basic-auth",
  "conditional-access",
  "find-ews-url",
  "related-resources",
  "reseller",
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** A step anchor is `<section>-<number>`, e.g. `grant-impersonation-6`. */
export function stepAnchor(section: SectionId | AppAccessSectionId | OwnAppSectionId, step: number): string {
  return `${section}-${step}`;
}

/** The public URL of a guide section or step for a track, e.g. `/guide/microsoft-365#allow-basic-auth`. */
export function guideHref(track: GuideTrack, anchor: SectionId | AppAccessSectionId | string): string {
  return `/guide/${track}#${anchor}`;
}
