import Link from "next/link";
import type { ReactNode } from "react";
import { currentStaff } from "@/lib/auth/request";
import { signOutAction } from "./actions";

/**
 * The staff area's frame. Sign-in, set-up and two-step pages share it, so the navigation appears only for a
 * fully signed-in staff member; each page still checks access itself (requireStaffPage).
 */
export default async function StaffLayout({ children }: { children: ReactNode }) {
  const session = await currentStaff();
  const signedIn = session?.secondFactorDone ? session.staff : undefined;
  return (
    <div className="space-y-6">
      {signedIn && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2">
          <nav aria-label="Staff">
            <ul className="flex flex-wrap gap-x-5 gap-y-1">
              <li><Link href="/staff">Dashboard</Link></li>
              <li><Link href="/staff/audit">Audit log</Link></li>
              <li><Link href="/staff/onboardings/new">New onboarding</Link></li>
            </ul>
          </nav>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <p>
              Signed in as <span data-testid="staff-user" className="font-medium">{signedIn.name}</span>{" "}
              <span className="text-slate-700">({signedIn.role === "techops" ? "TechOps" : "staff"})</span>
            </p>
            <form action={signOutAction}>
              <button type="submit" className="min-h-11 rounded border border-slate-400 bg-white px-3 py-1 font-medium hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      )}
      {children}
    </div>
  );
}
