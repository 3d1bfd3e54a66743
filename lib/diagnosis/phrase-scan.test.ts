import { describe, expect, it } from "vitest";
import { loadCorpus } from "./corpus";
import { phraseScanner } from "./phrase-scan";
import { readLog } from "./read-log";
import { RULES } from "./rules";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** What the engine did before the automaton: one alternation, longest phrases first. */
const byRegex = (phrases: string[]) => {
  const re = new RegExp([...phrases].sort((a, b) => b.length - a.length).map(escape).join("|"), "g");
  return (text: string) => [...text.matchAll(re)].map((m) => m[0]);
};
const byScanner = (phrases: string[]) => {
  const scanner = phraseScanner(phrases);
  return (text: string) => {
    const out: number[] = [];
    scanner.scan(text, out);
    return out.map((i) => phrases[i]!);
  };
};

describe("phraseScanner", () => {
  it("finds what a longest-first alternation finds: leftmost, longest there, not overlapping", () => {
    const phrases = ["abcdef", "cd", "bc", "b", "def", "efg", "aa", "aaa"];
    const [want, got] = [byRegex(phrases), byScanner(phrases)];
    for (const text of ["abcdefg", "xabcxdefg", "aaaaaaa", "bcdefg", "abcdxcd", "", "zzz", "abcde"]) {
      expect(got(text), text).toEqual(want(text));
    }
  });

  it("agrees with the alternation on every corpus line and on phrases run together", () => {
    const phrases = [...new Set(RULES.flatMap((r) => (r.signal.kind === "phrase" ? r.signal.phrases.map((p) => p.toLowerCase()) : [])))];
    const lines = loadCorpus().flatMap((e) => readLog(e.text).map((l) => l.lower));
    for (let i = 0; i < phrases.length; i++) {
      const a = phrases[i]!;
      const b = phrases[(i * 7 + 3) % phrases.length]!;
      lines.push(a + b, a.slice(2) + b, `${b}${a.slice(1)}`, `${a} x ${b.slice(0, -1)}`);
    }
    const [regex, scanner] = [byRegex(phrases), byScanner(phrases)];
    let matches = 0;
    for (const line of lines) {
      const want = regex(line);
      matches += want.length;
      expect(scanner(line), line).toEqual(want);
    }
    expect(matches).toBeGreaterThan(500);
  });

  it("reports every marker occurrence, overlapping ones and ones inside a phrase too", () => {
    const scanner = phraseScanner(["graphserviceexception: error code"], ["graphserviceexception", "error", "rror code"]);
    const out: number[] = [];
    const markers: number[] = [];
    scanner.scan("x graphserviceexception: error code y error", out, markers);
    expect(out).toEqual([0]);
    expect(markers.sort()).toEqual([0, 1, 1, 2]);
  });

  it("characters outside every phrase, non-ASCII included, reset the match", () => {
    const out: number[] = [];
    phraseScanner(["ab"]).scan("aäb a\u00A0b ab", out);
    expect(out).toEqual([0]);
  });
});
