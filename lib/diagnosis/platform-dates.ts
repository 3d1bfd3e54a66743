// Microsoft's Exchange Online retirements that the guidance quotes. The guide's platform facts
// (lib/guide/platform.ts) are the one source, with dates and public links; this re-export keeps the
// diagnosis engine's imports short.
export { EXCHANGE_ONLINE_DATES } from "@/lib/guide/platform";
