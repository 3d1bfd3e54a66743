import type { ReactNode } from "react";

export function Card({ title, titleId, children, className = "" }: { title?: ReactNode; titleId?: string; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={titleId} className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      {title && <h2 id={titleId} className="mb-3 text-lg font-semibold">{title}</h2>}
      {children}
    </section>
  );
}
