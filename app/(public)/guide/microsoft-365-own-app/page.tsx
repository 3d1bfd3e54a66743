import type { Metadata } from "next";
import { GuidePage } from "@/components/guide/guide-page";
import { GUIDE_TRACK_LABELS, OWN_APP_TRACK } from "@/lib/guide/ids";

// Static: the app id in its commands is the brokerage's own, which only its workspace knows.
export const metadata: Metadata = { title: `Setup guide: ${GUIDE_TRACK_LABELS[OWN_APP_TRACK]}` };

export default function OwnAppGuidePage() {
  return <GuidePage track={OWN_APP_TRACK} />;
}
