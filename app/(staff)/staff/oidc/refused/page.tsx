import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in refused" };

const WHY: Record<string, { title: string; body: string }> = {
  "no-role": {
    title: "Your company account has no access to this tool",
    body: "You signed in with your company account, but it is not in a group that gives access to MoxiEngage Onboarding (staff or TechOps). Ask your manager or the IT service desk to add you to the right group, then sign in again.",
  },
  disabled: { title: "This account is turned off here", body: "Your staff account in MoxiEngage Onboarding has been turned off. Ask a TechOps colleague if you need access again." },
  expired: { title: "That sign-in took too long or was already used", body: "Start again: sign-in through your company account must finish within 10 minutes, in the same browser." },
  unavailable: { title: "The company sign-in is not answering", body: "We could not reach your company's identity provider. Try again in a few minutes." },
  failed: {
    title: "That sign-in could not be confirmed",
    body: "The answer from your company's identity provider did not pass our checks, so you are not signed in. Start again from the sign-in page; if it keeps happening, tell TechOps the time it happened.",
  },
};

export default async function OidcRefusedPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const why = WHY[(await searchParams).why ?? ""] ?? WHY.failed!;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">{why.title}</h1>
      <p role="alert">{why.body}</p>
      <p>
        <Link href="/staff/sign-in">Back to staff sign-in</Link>
      </p>
    </div>
  );
}
