// The Microsoft 365 app-access guide (Graph + RBAC for Applications). Its content is built elsewhere
// (lib/guide); the diagnosis links into it only through these permanent anchors, so a finding never
// points at a step that does not exist. Keep in step with the guide's section ids.

export const APP_ACCESS_TRACK = "microsoft-365-app-access" as const;

export const APP_ACCESS_SECTIONS = [
  "grant-consent",
  "create-agent-group",
  "scope-app-access",
  "check-app-access",
  "test-app-access",
  "troubleshoot-app-access",
] as const;
export type AppAccessSection = (typeof APP_ACCESS_SECTIONS)[number];

export const APP_ACCESS_GUIDE = {
  track: APP_ACCESS_TRACK,
  sections: APP_ACCESS_SECTIONS,
  /** `/guide/microsoft-365-app-access#grant-consent`, or one step of it: `#scope-app-access-4` */
  href: (section: AppAccessSection, step?: number): string => `/guide/${APP_ACCESS_TRACK}#${step ? `${section}-${step}` : section}`,
} as const;
