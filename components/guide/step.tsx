import { stepAnchor, type SectionId } from "@/lib/guide/ids";
import type { Step as StepData } from "@/lib/guide/types";
import { Checklist } from "./checklist";
import { CommandBlock } from "./command-block";
import { Note } from "./note";
import { RichText } from "./rich-text";
import { Visual } from "./visuals";

/** One numbered step; its element id is the permanent anchor (`grant-impersonation-6`). */
export function Step({ sectionId, step, headingLevel, online }: { sectionId: string; step: StepData; headingLevel: 3 | 4; online: boolean }) {
  const anchor = stepAnchor(sectionId as SectionId, step.n);
  const Heading = headingLevel === 3 ? "h3" : "h4";
  return (
    <li id={anchor} className="scroll-mt-4 rounded-md border border-slate-200 bg-white p-4 target:border-brand-700 target:ring-2 target:ring-brand-600 print:break-inside-avoid-page print:border-slate-400">
      <Heading className="text-base font-semibold">
        <a href={`#${anchor}`} className="text-slate-900 no-underline hover:underline">
          Step {step.n}
        </a>
      </Heading>
      <p className="mt-1">
        <RichText text={step.text} />
      </p>
      {step.substeps?.length ? (
        <ol className="mt-2 space-y-1 pl-1">
          {step.substeps.map((sub) => (
            <li key={sub.letter} id={`${anchor}${sub.letter}`} className="flex gap-2 target:bg-brand-50">
              <span className="font-semibold">{sub.letter}.</span>
              <span>
                <RichText text={sub.text} />
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      {step.visual ? <Visual id={step.visual} online={online} /> : null}
      {step.commands?.map((c) => <CommandBlock key={c.code} command={c} />)}
      {step.expect ? (
        <p className="mt-2 text-sm break-words">
          <strong>What you should see:</strong> {step.expect}
        </p>
      ) : null}
      {step.samples?.map((sample) => (
        <details key={sample.title} className="mt-2 text-sm">
          <summary className="cursor-pointer font-medium text-brand-800">{sample.title}</summary>
          <pre tabIndex={0} className="mt-1 overflow-x-auto rounded border border-slate-300 bg-slate-50 p-2 text-xs text-slate-900 print:overflow-visible print:whitespace-pre-wrap print:break-all">
            {sample.text}
          </pre>
        </details>
      ))}
      {step.notes?.map((note, i) => <Note key={i} note={note} />)}
      <Checklist legend={`Step ${step.n} checklist`} items={step.checklist} />
    </li>
  );
}
