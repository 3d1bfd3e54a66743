import { platformFact } from "@/lib/guide/platform";
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
        <details className="mt-1">
          <summary className="cursor-pointer font-medium text-brand-800">What Microsoft changed, and sources</summary>
          <p className="mt-1">{fact.title}</p>
          <p className="mt-1">
            <RichText text={fact.consequence} />
          </p>
          <ul className="mt-1 list-disc pl-5">
            {fact.sources.map((s) => (
              <li key={s.url}>
                <a href={s.url} rel="noopener noreferrer">
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
