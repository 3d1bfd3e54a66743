import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { SUPPORT_EMAIL } from "@/lib/site";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MoxiEngage Onboarding", template: "%s · MoxiEngage Onboarding" },
  description: "Connect your brokerage's Exchange mailboxes to MoxiEngage: setup guide, connection test and secure hand-over.",
  referrer: "no-referrer",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:shadow"
        >
          Skip to main content
        </a>
        <header className="no-print border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
            <Link href="/" className="text-lg font-semibold text-slate-900 no-underline">
              MoxiEngage <span className="font-normal text-slate-600">Onboarding</span>
            </Link>
            <nav aria-label="Main">
              <ul className="flex gap-4 text-sm">
                <li><Link href="/guide">Setup guide</Link></li>
                {/* One static header for every page (the guide is prerendered): a name that is true signed in or not. */}
                <li><Link href="/staff">MoxiWorks staff</Link></li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 focus:outline-none">
          {children}
        </main>
        <footer className="no-print border-t border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-4 text-sm text-slate-700">
            <p>© MoxiWorks. MoxiEngage connects to Exchange through one service account you control.</p>
            <p>
              Need help? <a href={`mailto:${SUPPORT_EMAIL}`}>Contact MoxiWorks onboarding</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
