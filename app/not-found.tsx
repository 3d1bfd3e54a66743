import Link from "next/link";

/** Any unknown address: our own page (Next's default uses inline styles, which the CSP refuses). */
export default function NotFound() {
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p>There is nothing at this address. It may have been mistyped, or the page has moved.</p>
      <ul className="list-disc pl-6">
        <li><Link href="/">Home</Link></li>
        <li><Link href="/guide">The setup guide</Link></li>
      </ul>
    </div>
  );
}
