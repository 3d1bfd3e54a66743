/**
 * A horizontal bar drawn with SVG attributes (the CSP forbids inline styles). Decorative: the number it shows
 * is always in the same table row as text.
 */
export function Bar({ value, max, tone = "brand" }: { value: number; max: number; tone?: "brand" | "amber" }) {
  const width = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return (
    <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false" className="block h-3 w-full min-w-24 rounded-sm bg-slate-100">
      <rect x="0" y="0" width={width.toFixed(2)} height="10" className={tone === "brand" ? "fill-brand-600" : "fill-amber-600"} />
    </svg>
  );
}
