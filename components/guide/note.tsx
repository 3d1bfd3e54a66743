import { platformFact, type PlatformFactId } from "@/lib/guide/platform";
import type { Note as NoteData } from "@/lib/guide/types";
import { CommandBlock } from "./command-block";
import { RichText } from "./rich-text";

const STYLES: Record<NoteData["kind"], { box: string; label: string }> = {
  platform: { box: "border-amber-700 bg-amber-50", label: "Microsoft change" },
  warning: { box: "border-red-700 bg-red-50", label: "Important" },
  info: { box: "border-brand-700 bg-brand-50", label: "Note" },
};

/** A note on a section or step. Platform notes quote the dated fact from lib/guide/platform.ts. */
export function Note({ note }: { note: NoteData }) {
  const style = STYLES[note.kind];
  const fact = note.fact ? platformFact(note.fact) : undefined;
  return (
    <div role="note" className={`mt-3 rounded border-l-4 px-3 py-2 text-sm text-slate-900 ${style.box} print:break-inside-avoid`}>
      <p>
        <strong>
          {style.label}
          {fact ? `, ${fact.dateLabel}` : ""}:
        </strong>{" "}
        <RichText text={note.text} />
      </p>
      {note.commands?.map((c) => <CommandBlock key={c.code} command={c} />)}
      {fact ? (
        <p className="mt-1">
          <a href={`#${factAnchor(fact.id)}`}>What Microsoft changed, and sources</a>
        </p>
      ) : null}
    </div>
  );
}

export function factAnchor(id: PlatformFactId): string {
  return `microsoft-change-${id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Every Microsoft change the page's notes quote, once, with sources; notes link here. */
export function PlatformChanges({ facts }: { facts: PlatformFactId[] }) {
  if (facts.length === 0) return null;
  return (
    <section id="microsoft-changes" aria-labelledby="microsoft-changes-heading" className="space-y-3 rounded border border-amber-700 bg-amber-50 p-4">
      <h2 id="microsoft-changes-heading" className="text-2xl font-bold">
        What Microsoft has changed since this guide was written
      </h2>
      <ul className="space-y-3">
        {facts.map((id) => {
          const fact = platformFact(id);
          return (
            <li key={id} id={factAnchor(id)} className="scroll-mt-4 target:ring-2 target:ring-brand-600">
              <p>
                <strong>{fact.dateLabel}.</strong> {fact.title}
              </p>
              <p className="mt-1">
                <RichText text={fact.consequence} />
              </p>
              <ul className="mt-1 list-disc pl-5 text-sm">
                {fact.sources.map((s) => (
                  <li key={s.url}>
                    {/* At least 24 px tall: stacked source links must each be a big enough target (WCAG 2.5.8). */}
                    <a href={s.url} rel="noopener noreferrer" className="inline-block min-h-6 py-0.5">
                      {s.label}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
