import type { Metadata } from "next";
import { PasteLog } from "@/components/diagnosis/paste-log";

export const metadata: Metadata = { title: "Explain a Remote Connectivity Analyzer log" };

export default function PasteLogPage() {
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Explain a Remote Connectivity Analyzer log</h1>
      <p className="max-w-3xl">
        Ran Microsoft&apos;s Remote Connectivity Analyzer and it failed? Paste its log here and we&apos;ll name the
        cause in plain words, who needs to act, and the guide step that fixes it.
      </p>
      <PasteLog />
    </div>
  );
}
