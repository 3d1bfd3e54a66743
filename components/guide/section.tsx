import { sectionItems } from "@/lib/guide/tracks";
import type { Section as SectionData } from "@/lib/guide/types";
import { Checklist } from "./checklist";
import { Note } from "./note";
import { Progress } from "./progress";
import { RichText } from "./rich-text";
import { Step } from "./step";

/**
 * A guide section; its element id is the permanent section anchor (`allow-basic-auth`). In the workspace
 * (`collapsible`) it folds to its heading and progress; a link to it or into it opens it (OpenLinkedSection).
 */
export function Section({ section, online, collapsible, open }: { section: SectionData; online: boolean; collapsible?: boolean; open?: boolean }) {
  const Heading = section.level === 2 ? "h2" : "h3";
  const itemIds = sectionItems(section).map((i) => i.id);
  const headingId = `${section.id}-heading`;
  const heading = (
    <Heading id={headingId} className={collapsible ? (section.level === 2 ? "inline text-xl font-bold" : "inline text-lg font-bold") : section.level === 2 ? "mt-10 text-2xl font-bold" : "mt-8 text-xl font-bold"}>
      {collapsible ? section.title : (
        <a href={`#${section.id}`} className="text-slate-900 no-underline hover:underline">
          {section.title}
        </a>
      )}
    </Heading>
  );
  const progress = itemIds.length ? <Progress label={section.title} itemIds={itemIds} /> : null;
  if (collapsible) {
    return (
      <section id={String(section.id)} aria-labelledby={headingId} className="scroll-mt-28">
        <details open={open} data-guide-section={section.id} className="rounded border border-slate-300 bg-white">
          <summary className="cursor-pointer space-y-1 px-4 py-3">
            {heading}
            {progress && <div className="mt-1">{progress}</div>}
          </summary>
          <div className="space-y-3 border-t border-slate-200 px-4 py-3">
            <SectionBody section={section} online={online} />
          </div>
        </details>
      </section>
    );
  }
  return (
    <section id={String(section.id)} aria-labelledby={headingId} className="scroll-mt-4 space-y-3 target:[&>h2]:text-brand-800 target:[&>h3]:text-brand-800">
      {heading}
      {progress}
      <SectionBody section={section} online={online} />
    </section>
  );
}

function SectionBody({ section, online }: { section: SectionData; online: boolean }) {
  return (
    <>
      {section.intro.map((p, i) => (
        <p key={i} className="max-w-3xl break-words">
          <RichText text={p} />
        </p>
      ))}
      {section.notes?.map((note, i) => <Note key={i} note={note} />)}
      {section.subsections?.map((sub) => (
        <div key={sub.id} id={sub.id} className="scroll-mt-4">
          {section.level === 2 ? <h3 className="mt-4 text-lg font-semibold">{sub.title}</h3> : <h4 className="mt-4 font-semibold">{sub.title}</h4>}
          {sub.body.map((p, i) => (
            <p key={i} className="mt-1 max-w-3xl break-words">
              <RichText text={p} />
            </p>
          ))}
        </div>
      ))}
      {section.checklist?.length ? <Checklist legend={`${section.title} checklist`} items={section.checklist} /> : null}
      {section.steps?.length ? (
        <ol className="space-y-4" aria-label={`${section.title}: steps`}>
          {section.steps.map((step) => (
            <Step key={step.n} sectionId={String(section.id)} step={step} headingLevel={section.level === 2 ? 3 : 4} online={online} />
          ))}
        </ol>
      ) : null}
      {section.resources?.length ? (
        <ul className="list-disc space-y-1 pl-6">
          {section.resources.map((r) => (
            <li key={r.href}>
              <a href={r.href} rel="noopener noreferrer">
                {r.title}
              </a>
              {r.comment ? (
                <>
                  {" — "}
                  <RichText text={r.comment} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
