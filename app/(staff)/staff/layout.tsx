import type { ReactNode } from "react";

/**
 * The staff area's frame. Sign-in, set-up and two-step pages share it, so it holds nothing that depends on
 * who is signed in: layouts survive client navigations (a sign-in redirect would leave a stale one). The
 * navigation and the signed-in user are drawn by each signed-in page (components/staff/staff-nav.tsx), and
 * each page checks access itself with requireStaffPage().
 */
export default function StaffLayout({ children }: { children: ReactNode }) {
  return <div className="space-y-6">{children}</div>;
}
