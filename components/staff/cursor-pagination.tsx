import Link from "next/link";

/**
 * Newest / Newer / Older links for a keyset-paginated list (the audit log): each link carries the cursor of the
 * page's edge event, so every page has its own URL and works without JavaScript.
 */
export function CursorPagination({ label, atTop, newerHref, olderHref, newestHref }: { label: string; atTop: boolean; newerHref: string | null; olderHref: string | null; newestHref: string }) {
  const off = (text: string) => <span aria-disabled="true" className="text-slate-600">{text}</span>;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-end gap-3 text-sm">
      <ul className="flex gap-3">
        <li>{atTop ? off("Newest") : <Link href={newestHref}>Newest</Link>}</li>
        <li>{newerHref ? <Link href={newerHref} rel="prev">Newer</Link> : off("Newer")}</li>
        <li>{olderHref ? <Link href={olderHref} rel="next">Older</Link> : off("Older")}</li>
      </ul>
    </nav>
  );
}
