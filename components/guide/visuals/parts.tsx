import type { ReactNode } from "react";

// Building blocks for the screen renditions: drawn with HTML and CSS classes only (no screenshots, no
// inline styles), readable at 320 px, and hidden from assistive technology behind one text alternative.

export function Screen({ id, title, alt, caption, children }: { id: string; title: string; alt: string; caption: ReactNode; children: ReactNode }) {
  return (
    <figure aria-labelledby={`${id}-caption`} className="my-4 max-w-2xl print:break-inside-avoid">
      <div role="img" aria-label={alt} className="overflow-hidden rounded-lg border-2 border-slate-400 bg-white text-slate-900 shadow-sm">
        <div className="border-b border-slate-300 bg-slate-100 px-3 py-1.5 text-xs font-semibold text-slate-800">{title}</div>
        <div className="p-3 text-sm">{children}</div>
      </div>
      <figcaption id={`${id}-caption`} className="mt-2 text-sm text-slate-800">
        {caption}
      </figcaption>
    </figure>
  );
}

/** A green letter like the seed's screenshot markers; `highlight` draws the green box around a field. */
export function Marker({ letter }: { letter: string }) {
  return (
    <span className="inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-green-800 text-xs font-bold text-white">
      {letter}
    </span>
  );
}

export function Highlight({ on = true, children }: { on?: boolean; children: ReactNode }) {
  return <div className={on ? "rounded-md outline-3 outline-offset-2 outline-green-700" : ""}>{children}</div>;
}

export function FieldBox({ label, value, required, marker }: { label: string; value?: string; required?: boolean; marker?: string }) {
  return (
    <div className="flex items-end gap-2">
      <div className="min-w-0 flex-1">
        <div className="text-xs font-semibold text-slate-800">
          {label}
          {required ? " *" : ""}
        </div>
        <div className="mt-0.5 min-h-7 truncate rounded border border-slate-500 bg-white px-2 py-1">{value ?? "\u00a0"}</div>
      </div>
      {marker ? <Marker letter={marker} /> : null}
    </div>
  );
}

export function Box({ checked, round }: { checked: boolean; round?: boolean }) {
  return (
    <svg viewBox="0 0 16 16" className="size-4 shrink-0" aria-hidden="true">
      {round ? (
        <>
          <circle cx="8" cy="8" r="7" fill="white" stroke="#334155" strokeWidth="1.5" />
          {checked ? <circle cx="8" cy="8" r="3.5" fill="#0b5cad" /> : null}
        </>
      ) : (
        <>
          <rect x="1" y="1" width="14" height="14" rx="2" fill={checked ? "#0b5cad" : "white"} stroke="#334155" strokeWidth="1.5" />
          {checked ? <path d="M4 8.5l2.5 2.5L12 5" fill="none" stroke="white" strokeWidth="2" /> : null}
        </>
      )}
    </svg>
  );
}

export function Option({ checked, round, label, marker, note }: { checked: boolean; round?: boolean; label: string; marker?: string; note?: string }) {
  return (
    <div className="flex items-start gap-2 py-0.5">
      <Box checked={checked} round={round} />
      <span className="flex-1">
        {label}
        {note ? <span className="block text-xs text-slate-700">{note}</span> : null}
      </span>
      {marker ? <Marker letter={marker} /> : null}
    </div>
  );
}

export function Buttons({ primary, others = [] }: { primary: string; others?: string[] }) {
  return (
    <div className="mt-3 flex flex-wrap gap-2">
      <Highlight>
        <span className="inline-block rounded bg-brand-700 px-3 py-1 font-semibold text-white">{primary}</span>
      </Highlight>
      {others.map((o) => (
        <span key={o} className="inline-block rounded border border-slate-500 px-3 py-1 text-slate-900">
          {o}
        </span>
      ))}
    </div>
  );
}
