import Link from "next/link";

export default function OnboardingNotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-3xl font-bold">Onboarding not found</h1>
      <p>There is no onboarding at this address. It may have been mistyped, or the link may be from another environment.</p>
      <p><Link href="/staff">Back to the dashboard</Link>, where you can search by brokerage, contact or email.</p>
    </div>
  );
}
