// The guide must carry every section, numbered step and lettered sub-step of the seed PDF text.
// The seed's outline (headings, steps, sub-steps, related resources) is kept in the repo as data
// (seed-outline.json), so this test runs on any clone; it compares the outline with the Microsoft 365
// track, which keeps the seed's steps as written, and fails when a section or step is missing, when
// steps are out of order, or when a step no longer says what the seed says.
// Where the seed text itself is present (../shared/seeds/… on our build machines, or MOXI_SEED_FILE),
// it is parsed as well and must give exactly the committed outline, so the data cannot drift from it.
// After a deliberate change to the seed or the parser: UPDATE_SEED_OUTLINE=1 npx vitest run <this file>.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import committedOutline from "./seed-outline.json";
import { guideFor } from "./tracks";
import type { Section } from "./types";

const SEED_PATH = process.env.MOXI_SEED_FILE ?? path.resolve(__dirname, "../../../shared/seeds/000_27e50792717461d2.txt");
const OUTLINE_PATH = path.resolve(__dirname, "seed-outline.json");

/** The seed's table of contents: every heading, in order, with the guide section/subsection it maps to. */
const SEED_HEADINGS = [
  "Overview",
  "Contacts",
  "Calendar",
  "Email",
  "Service Account Setup",
  "Information Gathering",
  "Next Steps",
  "Verification of Credentials",
  "Outcome: Credentials Cannot be Verified",
  "Outcome: Credentials are Verified Successfully",
  "Security",
  "Network Access",
  "Managing Shared Secrets and Credentials",
  "Communications Policy for Security Breaches",
  "Microsoft 365 Setup Instructions for Administrators",
  "Create a Service Account User",
  "Grant Application Impersonation to the Service Account User",
  "Ensure Service Account User has a Password that Never Expires",
  "Test Service Account Impersonation for MoxiEngage",
  "Troubleshoot Service Account Impersonation for MoxiEngage",
  "Allow Basic Authentication for Service Account",
  "Adjust Conditional Access Policy for Service Account",
  "Related Resources",
] as const;

/** Headings whose sections hold numbered steps in the seed: the administrator instructions, in order. */
const STEP_SECTIONS = SEED_HEADINGS.slice(SEED_HEADINGS.indexOf("Create a Service Account User"), SEED_HEADINGS.indexOf("Related Resources"));

// The PDF-to-text conversion lost the numbers of some steps and printed them as bullets (e.g. steps
// 8–10 of the password section, 1–6 of basic authentication). Such a bullet is a step when it opens
// with an instruction; bullets of screenshot descriptions, menus and link lists do not.
const UNNUMBERED_STEP = /^-\s+(Run |At the |The ExchangeOnlineManagement |Wait |Type$|Type |Confirm |Follow |When you |View |Review the log text )/;
const NUMBERED_STEP = /^\s*(?:-\s*)?(\d{1,2})\.\s+(\S.*)$/;
const LETTERED = /^\s*-\s*([a-z])\.\s+(\S.*)$/;

function normalise(text: string): string {
  return text
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

interface SeedStep {
  n: number;
  text: string;
  letters: { letter: string; text: string }[];
}

/** What the test needs of the seed: each step section's steps, and the related resources' titles. */
type SeedOutline = { steps: Record<string, SeedStep[]>; relatedResources: string[] };

function readSeed(): string[] {
  return readFileSync(SEED_PATH, "utf8").split(/\r?\n/);
}

function relatedResourceTitles(lines: string[]): string[] {
  return lines
    .map((line) => /^-\s+\[(.+)\]\(#\)$/.exec(line.trim())?.[1])
    .filter((t): t is string => !!t)
    .map((t) => t.replace(/\\([()])/g, "$1"));
}

function outlineOf(lines: string[]): SeedOutline {
  const sections = seedSections(lines);
  return {
    steps: Object.fromEntries(STEP_SECTIONS.map((h) => [h, seedSteps(sections.get(h) ?? [])])),
    relatedResources: relatedResourceTitles(sections.get("Related Resources") ?? []),
  };
}

/** Splits the seed into heading → lines, by the known headings in order (each a line of its own). */
function seedSections(lines: string[]): Map<string, string[]> {
  const starts: number[] = [];
  let from = 0;
  for (const heading of SEED_HEADINGS) {
    const index = lines.findIndex((line, i) => i >= from && line.trim() === heading);
    if (index < 0) throw new Error(`seed heading not found in order: ${heading}`);
    starts.push(index);
    from = index + 1;
  }
  const out = new Map<string, string[]>();
  SEED_HEADINGS.forEach((heading, k) => out.set(heading, lines.slice((starts[k] ?? 0) + 1, starts[k + 1] ?? lines.length)));
  return out;
}

function seedSteps(lines: string[]): SeedStep[] {
  const steps: SeedStep[] = [];
  let fenced = false;
  for (const line of lines) {
    if (line.trim().startsWith("```")) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const lettered = LETTERED.exec(line);
    if (lettered) {
      steps.at(-1)?.letters.push({ letter: lettered[1] ?? "", text: lettered[2] ?? "" });
      continue;
    }
    const numbered = NUMBERED_STEP.exec(line);
    if (numbered) {
      steps.push({ n: Number(numbered[1]), text: numbered[2] ?? "", letters: [] });
      continue;
    }
    if (UNNUMBERED_STEP.test(line)) {
      steps.push({ n: (steps.at(-1)?.n ?? 0) + 1, text: line.replace(/^-\s+/, ""), letters: [] });
    }
  }
  return steps;
}

const guide = guideFor("microsoft-365");

function guideSectionFor(heading: string): Section | undefined {
  return guide.sections.find((s) => s.seedHeading === heading);
}

const seedPresent = existsSync(SEED_PATH);
const outline: SeedOutline = committedOutline;

describe("the committed outline is the seed's", () => {
  it.skipIf(!seedPresent)("parsing the seed text gives exactly seed-outline.json", () => {
    const parsed = outlineOf(readSeed());
    if (process.env.UPDATE_SEED_OUTLINE) writeFileSync(OUTLINE_PATH, `${JSON.stringify(parsed, null, 2)}\n`);
    expect(parsed).toEqual(outline);
  });

  it("has every step section and a list of related resources", () => {
    expect(Object.keys(outline.steps)).toEqual([...STEP_SECTIONS]);
    expect(outline.relatedResources.length).toBeGreaterThanOrEqual(12);
  });
});

describe("the guide covers the seed", () => {

  it("has every seed heading as a section or subsection", () => {
    const guideHeadings = new Set(
      guide.sections.flatMap((s) => [s.seedHeading, ...(s.subsections ?? []).map((sub) => sub.seedHeading)]).filter(Boolean),
    );
    const missing = SEED_HEADINGS.filter((h) => !guideHeadings.has(h));
    expect(missing).toEqual([]);
  });

  it("keeps the seed's order of sections", () => {
    const order = guide.sections.map((s) => s.seedHeading).filter((h): h is string => !!h);
    const expected = SEED_HEADINGS.filter((h) => order.includes(h));
    expect(order).toEqual(expected);
  });

  it("reads the seed's steps as numbered 1..N in every step section", () => {
    for (const heading of STEP_SECTIONS) {
      const steps = outline.steps[heading] ?? [];
      expect(steps.map((s) => s.n), heading).toEqual(steps.map((_, i) => i + 1));
    }
  });

  it("counts the steps and lettered sub-steps the seed has", () => {
    const counts = Object.fromEntries(
      STEP_SECTIONS.map((h) => {
        const steps = outline.steps[h] ?? [];
        return [h, { steps: steps.length, lettered: steps.filter((s) => s.letters.length).map((s) => `${s.n}${s.letters.map((l) => l.letter).join("")}`) }];
      }),
    );
    // Pinned so that a change to the parser or the seed is noticed, not silently followed.
    expect(counts).toEqual({
      "Create a Service Account User": { steps: 8, lettered: ["4abcdef"] },
      "Grant Application Impersonation to the Service Account User": { steps: 9, lettered: [] },
      "Ensure Service Account User has a Password that Never Expires": { steps: 12, lettered: [] },
      "Test Service Account Impersonation for MoxiEngage": { steps: 12, lettered: ["12ab"] },
      "Troubleshoot Service Account Impersonation for MoxiEngage": { steps: 4, lettered: [] },
      "Allow Basic Authentication for Service Account": { steps: 21, lettered: [] },
      "Adjust Conditional Access Policy for Service Account": { steps: 24, lettered: [] },
    });
  });

  for (const heading of STEP_SECTIONS) {
    it(`has every step and sub-step of "${heading}", in order, saying what the seed says`, () => {
      const seed = outline.steps[heading] ?? [];
      const section = guideSectionFor(heading);
      expect(section, heading).toBeDefined();
      const steps = section?.steps ?? [];
      expect(steps.length, `${heading}: number of steps`).toBe(seed.length);
      seed.forEach((seedStep, i) => {
        const step = steps[i];
        expect(step?.n, `${heading} step ${seedStep.n}`).toBe(seedStep.n);
        expect(step?.seed, `${heading} step ${seedStep.n} needs its seed opening`).toBeTruthy();
        expect(normalise(seedStep.text).startsWith(normalise(step?.seed ?? "")), `${heading} step ${seedStep.n}: "${step?.seed}" vs "${seedStep.text}"`).toBe(true);
        const letters = step?.substeps ?? [];
        expect(letters.map((l) => l.letter), `${heading} step ${seedStep.n} sub-steps`).toEqual(seedStep.letters.map((l) => l.letter));
        seedStep.letters.forEach((l, k) => {
          const sub = letters[k];
          expect(normalise(l.text).startsWith(normalise(sub?.seed ?? "\u0000")), `${heading} ${seedStep.n}${l.letter}`).toBe(true);
        });
      });
    });
  }

  it("lists every related resource of the seed", () => {
    const titles = outline.relatedResources;
    expect(titles.length).toBeGreaterThanOrEqual(12);
    const ours = (guideSectionFor("Related Resources")?.resources ?? []).map((r) => r.title);
    expect(titles.filter((t) => !ours.includes(t))).toEqual([]);
  });

  it("keeps the seed's AzureAD commands verbatim (repaired where the PDF broke a line)", () => {
    const commands = (guideSectionFor("Ensure Service Account User has a Password that Never Expires")?.steps ?? []).flatMap((s) =>
      (s.commands ?? []).map((c) => c.code),
    );
    expect(commands).toEqual([
      "Install-Module -Name AzureAD",
      "Connect-AzureAD",
      "Set-AzureADUser -ObjectId {email address} -PasswordPolicies DisablePasswordExpiration",
      'Get-AzureADUser -ObjectId {email address} | Select-Object UserPrincipalName,@{N="PasswordNeverExpires";E={$_.PasswordPolicies -contains "DisablePasswordExpiration"}}',
    ]);
  });
});

describe("the seed-coverage check itself", () => {
  it("would fail when a step is dropped", () => {
    const lines = ["1. Login to your portal.", "2. Click on the thing.", "- Follow the on-screen instructions.", "4. Done."];
    expect(seedSteps(lines).map((s) => s.n)).toEqual([1, 2, 3, 4]);
    expect(seedSteps(lines.filter((l) => !l.startsWith("2."))).map((s) => s.n)).toEqual([1, 2, 4]);
  });

  it("ignores numbered lines inside code fences and screenshot bullets", () => {
    const lines = ["1. Type", "```", "2. not a step", "```", "- ✓ Basics", "- Message Analyzer", "2. Next."];
    expect(seedSteps(lines).map((s) => s.text)).toEqual(["Type", "Next."]);
  });

  it("reads an outline from seed text the way it reads the seed", () => {
    const lines = [...SEED_HEADINGS.flatMap((h) => [h, ...(h === "Create a Service Account User" ? ["1. Login.", "- a. Open it."] : [])]), "- [A resource \\(PDF\\)](#)"];
    const parsed = outlineOf(lines);
    expect(parsed.steps["Create a Service Account User"]).toEqual([{ n: 1, text: "Login.", letters: [{ letter: "a", text: "Open it." }] }]);
    expect(parsed.relatedResources).toEqual(["A resource (PDF)"]);
  });
});
