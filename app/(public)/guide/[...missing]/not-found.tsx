import Link from "next/link";
import { TRACKS, TRACK_LABELS } from "@/lib/guide/ids";

export default function GuideTrackNotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-3xl font-bold">There is no guide at this address</h1>
      <p>Choose where your mail is hosted:</p>
      <ul className="list-disc space-y-1 pl-6">
        {TRACKS.map((track) => (
          <li key={track}>
            <Link href={`/guide/${track}`}>{TRACK_LABELS[track]}</Link>
          </li>
        ))}
      </ul>
      <p>
        Or start at the <Link href="/guide">setup guide</Link>.
      </p>
    </div>
  );
}
