import Link from "next/link";
import { countText, type Noun } from "@/lib/staff/count-text";

/**
 * Previous / next links for a server-paginated list; `href(page)` keeps the current filters. Plain links, so
 * it works without JavaScript and every page has its own URL.
 */
export function Pagination({ page, pageCount, total, noun, href }: { page: number; pageCount: number; total: number; noun: Noun; href: (page: number) => string }) {
  const shownPage = Math.min(page, pageCount);
  return (
    <nav aria-label={`Pages of ${noun.other}`} className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p>
        {countText(total, noun)} · page {shownPage.toLocaleString("en-US")} of {pageCount.toLocaleString("en-US")}
      </p>
      <ul className="flex gap-3">
        <li>
          {shownPage > 1 ? <Link href={href(1)}>First</Link> : <span aria-disabled="true" className="text-slate-600">First</span>}
        </li>
        <li>
          {shownPage > 1 ? <Link href={href(shownPage - 1)} rel="prev">Previous</Link> : <span aria-disabled="true" className="text-slate-600">Previous</span>}
        </li>
        <li>
          {shownPage < pageCount ? <Link href={href(shownPage + 1)} rel="next">Next</Link> : <span aria-disabled="true" className="text-slate-600">Next</span>}
        </li>
        <li>
          {shownPage < pageCount ? <Link href={href(pageCount)}>Last</Link> : <span aria-disabled="true" className="text-slate-600">Last</span>}
        </li>
      </ul>
    </nav>
  );
}
