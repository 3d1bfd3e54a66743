import Link from "next/link";
import type { ReactNode } from "react";
import { APP_ACCESS_TRACK, OWN_APP_TRACK, GUIDE_TRACK_LABELS, type GuideTrack } from "@/lib/guide/ids";
import { factsQuoted, guideFor, guideItems } from "@/lib/guide/tracks";
import { LocalChecklistProvider } from "./local-checklist-provider";
import { PlaceholderForm, PlaceholderProvider } from "./placeholders";
import { PrintButton } from "./print-button";
import { Progress } from "./progress";
import { PlatformChanges } from "./note";
import { OpenLinkedSection } from "./open-linked-section";
import { Section } from "./section";
import "./guide-print.css";

/**
 * The whole guide for one track (server-rendered); only checklists, inputs and buttons run in the browser.
 * The public guide keeps ticks in the browser; the workspace embeds it with its own (server-kept) checklist
 * provider and a heading one level down.
 */
export function GuidePage({
  track,
  embedded,
  appId,
}: {
  track: GuideTrack;
  embedded?: {
    checklist: (children: ReactNode) => ReactNode;
    progressNote: string;
    /** Sections fold to heading and progress; this one (the first with something left to do) starts open. */
    openSectionId?: string;
  };
  /** MoxiWorks's app id for the app-access track's commands (undefined when app access is not set up). */
  appId?: string;
}) {
  const Title = embedded ? "h2" : "h1";
  const wrapChecklist = embedded?.checklist ?? ((children: ReactNode) => <LocalChecklistProvider scope={track}>{children}</LocalChecklistProvider>);
  const guide = guideFor(track);
  const appAccess = track === APP_ACCESS_TRACK || track === OWN_APP_TRACK;
  const online = appAccess || track === "microsoft-365" || track === "microsoft-365-reseller";
  const allIds = guideItems(guide).map((i) => i.id);
  const facts = factsQuoted(guide);
  return (
    <div data-guide data-track={track} className="space-y-6">
      <PlaceholderProvider fixed={appId ? { appId } : undefined}>
        {wrapChecklist(<>
          <header className="space-y-3">
            {!embedded && (
              <p className="text-sm print:hidden">
                <Link href="/guide">← Setup guide: choose where your mail is hosted</Link>
              </p>
            )}
            <Title className="text-3xl font-bold">Setup guide: {GUIDE_TRACK_LABELS[track]}</Title>
            <p className="max-w-3xl text-lg text-slate-800">{guide.summary}</p>
            <div className="flex flex-wrap items-center gap-4">
              <PrintButton />
              <p className="text-sm text-slate-700">
                To send this to your email vendor, share this page&apos;s address: <code className="rounded bg-slate-100 px-1">/guide/{track}</code>
              </p>
            </div>
          </header>
          <PlaceholderForm variant={track === OWN_APP_TRACK ? "own-app" : appAccess ? "app-access" : "service-account"} />
          <section aria-labelledby="your-progress" className="rounded border border-slate-300 bg-white p-4 print:hidden">
            <h2 id="your-progress" className="text-lg font-semibold">
              Your progress
            </h2>
            <p className="text-sm text-slate-700">{embedded?.progressNote ?? "Ticks are saved in this browser for this track."}</p>
            <div className="mt-2">
              <Progress label="All steps" itemIds={allIds} size="lg" />
            </div>
          </section>
          <nav aria-labelledby="on-this-page" className="rounded border border-slate-300 bg-white p-4 print:hidden">
            <h2 id="on-this-page" className="text-lg font-semibold">
              On this page
            </h2>
            <ol className="mt-2 columns-1 gap-8 text-sm sm:columns-2">
              {guide.sections.map((s) => (
                <li key={s.id} className={s.level === 3 ? "pl-4" : "font-medium"}>
                  <a href={`#${s.id}`} className="inline-block min-h-6 py-1">
                    {s.title}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
          <PlatformChanges facts={facts} />
          {embedded && <OpenLinkedSection />}
          {guide.sections.map((s) => (
            <Section key={s.id} section={s} online={online} collapsible={Boolean(embedded)} open={embedded ? String(s.id) === embedded.openSectionId : undefined} />
          ))}
        </>)}
      </PlaceholderProvider>
    </div>
  );
}
