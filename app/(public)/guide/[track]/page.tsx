import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GuidePage } from "@/components/guide/guide-page";
import { TRACKS, TRACK_LABELS } from "@/lib/guide/ids";
import { isTrack } from "@/lib/guide/tracks";

// One page per track, generated at build time. Any other address under /guide falls through to
// guide/[...missing], which answers with the guide's own not-found page, rendered per request.

export const dynamicParams = false;

export function generateStaticParams() {
  return TRACKS.map((track) => ({ track }));
}

export async function generateMetadata({ params }: { params: Promise<{ track: string }> }): Promise<Metadata> {
  const { track } = await params;
  return isTrack(track) ? { title: `Setup guide: ${TRACK_LABELS[track]}` } : {};
}

export default async function GuideTrackPage({ params }: { params: Promise<{ track: string }> }) {
  const { track } = await params;
  if (!isTrack(track)) notFound();
  return <GuidePage track={track} />;
}
