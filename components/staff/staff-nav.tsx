import Link from "next/link";
import type { StaffUser } from "@/lib/auth/staff";

const ITEMS = [
  { href: "/staff", label: "Dashboard", key: "dashboard" },
  { href: "/staff/audit", label: "Audit log", key: "audit" },
  { href: "/staff/onboardings/new", label: "New onboarding", key: "new" },
  { href: "/staff/outbox", label: "Outbox", key: "outbox" },
  { href: "/staff/incidents", label: "Incidents", key: "incidents", techopsOnly: true },
] as const;

/**
 * The staff navigation with who is signed in and a sign-out button. Rendered by each signed-in page, not by
 * the layout: layouts are kept across client navigations, so a layout would still show the sign-in state from
 * before a sign-in or sign-out redirect.
 */
export function StaffNav({ staff, signOut, current }: { staff: StaffUser; signOut: () => Promise<void>; current?: (typeof ITEMS)[number]["key"] }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2">
      <nav aria-label="Staff">
        <ul className="flex flex-wrap gap-x-5 gap-y-1">
          {ITEMS.filter((item) => !("techopsOnly" in item) || staff.role === "techops").map((item) => (
            <li key={item.key}>
              <Link href={item.href} aria-current={current === item.key ? "page" : undefined} className={current === item.key ? "font-semibold" : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <p>
          Signed in as <span data-testid="staff-user" className="font-medium">{staff.name}</span>{" "}
          <span className="text-slate-700">({staff.role === "techops" ? "TechOps" : "staff"})</span>
        </p>
        <form action={signOut}>
          <button type="submit" className="min-h-11 rounded border border-slate-400 bg-white px-3 py-1 font-medium hover:bg-slate-100">
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}
