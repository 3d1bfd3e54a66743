// The Microsoft 365 app-access guide (Graph + RBAC for Applications). Its content is built elsewhere
// (lib/guide); the diagnosis links into it only through the guide's permanent anchors (lib/guide/ids.ts),
// so a finding never points at a step that does not exist.
import { APP_ACCESS_SECTION_IDS, APP_ACCESS_TRACK, type AppAccessSectionId } from "@/lib/guide/ids";

export type AppAccessSection = AppAccessSectionId;

export const APP_ACCESS_GUIDE = {
  track: APP_ACCESS_TRACK,
  sections: APP_ACCESS_SECTION_IDS,
  /** `/guide/microsoft-365-app-access#grant-consent`, or one step of it: `#scope-app-access-4` */
  href: (section: AppAccessSection, step?: number): string => `/guide/${APP_ACCESS_TRACK}#${step ? `${section}-${step}` : section}`,
} as const;
