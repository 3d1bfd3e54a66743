// The guide for each track: which sections, in which order, with which wording. Every track has every
// section id that the diagnosis guidance links to, so a link like /guide/<track>#grant-impersonation
// always lands on something (on Exchange Server, "conditional-access" explains what applies instead).

import { ownAppSections } from "./content/own-app";
import { APP_ACCESS_TRACK, OWN_APP_TRACK, GUIDE_TRACKS, GUIDE_TRACK_LABELS, SECTION_IDS, TRACKS, type GuideTrack, type Track } from "./ids";
import { appAccessSections } from "./content/app-access";
import { PLATFORM_FACTS, type PlatformFactId } from "./platform";
import type { ChecklistItem, Guide, Section } from "./types";
import {
  informationGathering,
  nextSteps,
  overview,
  relatedResources,
  security,
  serviceAccountSetup,
  SEED_RESOURCES,
  SERVER_RESOURCES,
  type HostWords,
} from "./content/common";
import {
  adminInstructions,
  allowBasicAuthOnline,
  conditionalAccessOnline,
  createServiceAccountOnline,
  findEwsUrlOnline,
  grantImpersonationOnline,
  passwordNeverExpiresOnline,
  testImpersonationOnline,
  troubleshootOnline,
} from "./content/online";
import { resellerSection } from "./content/reseller";
import {
  allowBasicAuthServer,
  conditionalAccessServer,
  createServiceAccountServer,
  findEwsUrlServer,
  grantImpersonationServer,
  passwordNeverExpiresServer,
  testImpersonationServer,
  troubleshootServer,
} from "./content/server";

const ONLINE_WORDS: HostWords = { host: "Microsoft 365", hostLong: "Microsoft 365 (formerly Office 365)", prefix: "" };

function onlineSections(reseller: boolean): Section[] {
  const w = ONLINE_WORDS;
  return [
    overview(w),
    ...(reseller ? [resellerSection()] : []),
    serviceAccountSetup(w),
    informationGathering(w),
    nextSteps(),
    security(w),
    adminInstructions(true),
    createServiceAccountOnline(),
    grantImpersonationOnline(),
    passwordNeverExpiresOnline(),
    testImpersonationOnline(),
    troubleshootOnline(),
    allowBasicAuthOnline(),
    conditionalAccessOnline(),
    findEwsUrlOnline(),
    relatedResources(SEED_RESOURCES),
  ];
}

function serverSections(hosted: boolean): Section[] {
  const w: HostWords = hosted
    ? { host: "hosted Exchange", hostLong: "hosted Exchange", prefix: "server-" }
    : { host: "Exchange Server", hostLong: "Exchange Server", prefix: "server-" };
  return [
    overview(w),
    serviceAccountSetup(w),
    informationGathering(w),
    nextSteps(),
    security(w),
    adminInstructions(false),
    createServiceAccountServer(hosted),
    grantImpersonationServer(hosted),
    passwordNeverExpiresServer(hosted),
    allowBasicAuthServer(hosted),
    findEwsUrlServer(hosted),
    testImpersonationServer(hosted),
    troubleshootServer(),
    conditionalAccessServer(),
    relatedResources(SERVER_RESOURCES),
  ];
}

const SUMMARIES: Record<GuideTrack, string> = {
  [APP_ACCESS_TRACK]:
    "Recommended for Microsoft 365 (Exchange Online): your administrator grants MoxiWorks's app consent with one click and limits it to your agents' mailboxes with three Exchange Online role assignments. No service account, no password; works after Microsoft switches EWS off.",
  [OWN_APP_TRACK]:
    "For Microsoft 365 tenants that do not allow outside apps: you register an app in your own tenant and upload a certificate your workspace makes (its private key never leaves MoxiWorks), then limit the app to your agents' mailboxes with the same three Exchange Online role assignments. No secret is ever sent.",
  "microsoft-365":
    "The original 2021 steps for Microsoft 365, kept as written, with a dated note wherever Microsoft has since changed Exchange Online. Read the notes first: the method no longer works in Exchange Online.",
  "microsoft-365-reseller":
    "For Microsoft 365 bought through GoDaddy or another reseller: what a reseller tenant can and cannot do, what to ask your reseller, and the original steps with Microsoft's changes marked.",
  "exchange-server":
    "For Exchange Server 2016, 2019 or Subscription Edition run by your organization: the service account, impersonation role, password and basic authentication set up with Exchange Management Shell and Active Directory.",
  "hosted-exchange":
    "For Exchange hosted by a provider: the same steps as Exchange Server, marked with what your provider has to do. Send your provider the link to this page.",
};

const cache = new Map<GuideTrack, Guide>();

export function guideFor(track: GuideTrack): Guide {
  const cached = cache.get(track);
  if (cached) return cached;
  const sections =
    track === APP_ACCESS_TRACK ? appAccessSections()
    : track === OWN_APP_TRACK ? ownAppSections()
    : track === "microsoft-365" ? onlineSections(false)
    : track === "microsoft-365-reseller" ? onlineSections(true)
    : serverSections(track === "hosted-exchange");
  const guide: Guide = { track, title: GUIDE_TRACK_LABELS[track], summary: SUMMARIES[track], sections };
  cache.set(track, guide);
  return guide;
}

export function isTrack(value: string): value is Track {
  return (TRACKS as readonly string[]).includes(value);
}

export function isGuideTrack(value: string): value is GuideTrack {
  return (GUIDE_TRACKS as readonly string[]).includes(value);
}

/** Every checklist item of a section, in order (step items and the section's own). */
export function sectionItems(section: Section): ChecklistItem[] {
  return [...(section.checklist ?? []), ...(section.steps ?? []).flatMap((s) => s.checklist)];
}

export function guideItems(guide: Guide): ChecklistItem[] {
  return guide.sections.flatMap(sectionItems);
}

/** A checklist item's label from any track, for staff pages and the timeline; undefined when unknown. */
export function checklistItemLabel(itemId: string): string | undefined {
  for (const track of GUIDE_TRACKS) {
    const item = guideItems(guideFor(track)).find((i) => i.id === itemId);
    if (item) {
      const section = guideFor(track).sections.find((s) => sectionItems(s).includes(item));
      return section ? `${section.title}: ${item.label}` : item.label;
    }
  }
  return undefined;
}

/** The platform facts a guide's notes quote, oldest change first (the "what changed" list reads in date order). */
export function factsQuoted(guide: Guide): PlatformFactId[] {
  const used = new Set<PlatformFactId>();
  for (const s of guide.sections) {
    for (const n of [...(s.notes ?? []), ...(s.steps ?? []).flatMap((step) => step.notes ?? [])]) if (n.fact) used.add(n.fact);
  }
  return (Object.keys(PLATFORM_FACTS) as PlatformFactId[])
    .filter((id) => used.has(id))
    .sort((a, b) => PLATFORM_FACTS[a].date.localeCompare(PLATFORM_FACTS[b].date));
}

/** Section ids that every track must carry (all of SECTION_IDS except the reseller-only one). */
export const SHARED_SECTION_IDS = SECTION_IDS.filter((id) => id !== "reseller");
