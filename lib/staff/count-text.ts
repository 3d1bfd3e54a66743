/** A number with its noun, singular for one: "1 onboarding", "2,400 onboardings" (staff pages' counts). */
export type Noun = { one: string; other: string };

export const NOUNS = {
  onboarding: { one: "onboarding", other: "onboardings" },
  event: { one: "event", other: "events" },
} as const satisfies Record<string, Noun>;

export function countText(n: number, noun: Noun): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun.one : noun.other}`;
}
