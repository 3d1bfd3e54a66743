// The setup guide as typed data. Server components render it; the coverage test checks it against the
// seed PDF text so no section, numbered step or lettered sub-step of the original can go missing.
//
// Text fields use two bits of inline markup, rendered by components/guide/rich-text.tsx:
//   `code`            inline code
//   **bold**          the name of a button, menu or field on screen
//   [label](href)     a link; `#anchor` links stay on the current track's page

import type { PlatformFactId } from "./platform";
import type { SectionId } from "./ids";

/** A command the reader copies. `{service account}`, `{email address}`, `{test mailbox}`, `{domain}` are filled in. */
export interface Command {
  code: string;
  /** What the command is for, read out with the copy button ("Copy: set the policy"). */
  label: string;
  shell: "powershell" | "text";
}

export interface Note {
  /** `platform` notes quote a dated fact from platform.ts before their own text. */
  kind: "info" | "warning" | "platform";
  text: string;
  fact?: PlatformFactId;
  /** Commands that replace the step's own, e.g. the Microsoft Graph equivalent of a retired cmdlet. */
  commands?: Command[];
}

export interface ChecklistItem {
  /** Unique across every track; stored by the public guide (browser) and the workspace (server). */
  id: string;
  label: string;
}

/** Accessible HTML renditions of the screens people most often get wrong (components/guide/visuals). */
export type VisualId = "add-user-basics" | "role-permission-pick" | "rca-form" | "ca-exclude" | "ca-grant";

export interface SubStep {
  letter: string;
  text: string;
  /** Opening words of the seed's lettered line, for the coverage test. */
  seed?: string;
}

/** Sample output the reader compares with theirs (collapsible on screen, expanded in print). */
export interface Sample {
  title: string;
  text: string;
}

export interface Step {
  /** 1-based number; the anchor is `<section>-<n>` (stepAnchor). */
  n: number;
  text: string;
  /** Opening words of the seed's step, for the coverage test (absent on steps the seed does not have). */
  seed?: string;
  substeps?: SubStep[];
  commands?: Command[];
  /** "What you should see" — the screen or output that tells the reader the step worked. */
  expect?: string;
  samples?: Sample[];
  notes?: Note[];
  visual?: VisualId;
  checklist: ChecklistItem[];
}

export interface Subsection {
  id: string;
  title: string;
  seedHeading?: string;
  body: string[];
}

export interface Resource {
  title: string;
  href: string;
  /** Why it is listed, or that Microsoft has since retired/replaced it. */
  comment?: string;
}

export interface Section {
  id: SectionId | import("./ids").AppAccessSectionId | string;
  title: string;
  /** The heading line of the seed this section renders, when it comes from the seed. */
  seedHeading?: string;
  /** Heading level 2 for top-level parts, 3 for the administrator procedures under "admin-instructions". */
  level: 2 | 3;
  intro: string[];
  notes?: Note[];
  subsections?: Subsection[];
  steps?: Step[];
  /** Items to tick for sections without numbered steps. */
  checklist?: ChecklistItem[];
  resources?: Resource[];
}

export interface Guide {
  track: import("./ids").GuideTrack;
  title: string;
  summary: string;
  sections: Section[];
}
