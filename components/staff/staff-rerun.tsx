"use client";

import { useRouter } from "next/navigation";
import { LiveTest } from "@/components/test-run/live-test";

/**
 * Staff re-run the verification with the saved details and watch it live; the outcome moves the onboarding
 * (verified / needs attention) exactly as a submission's test does.
 */
export function StaffRerun({ onboardingId }: { onboardingId: string }) {
  const router = useRouter();
  return <LiveTest label="Re-run verification" body={() => ({ useSaved: true, onboardingId })} onFinished={() => router.refresh()} />;
}
