// Finds many fixed phrases in a line in one pass (an Aho–Corasick automaton over char codes), so that a 1 MB
// paste costs one table lookup per character instead of one alternation of hundreds of phrases per position.
// Matches are reported as a regex alternation with the longest phrases first would report them: leftmost,
// the longest phrase starting there, not overlapping the previous match.

export interface PhraseScanner {
  /**
   * Pushes onto `out` the index (into `phrases`) of every phrase match in `lower`, in order, and onto `markersOut`
   * the index (into `markers`) of every marker occurrence, overlapping ones too — in the same single pass.
   */
  scan(lower: string, out: number[], markersOut?: number[]): void;
}

export function phraseScanner(phrases: readonly string[], markers: readonly string[] = []): PhraseScanner {
  const firstMarker = phrases.length;
  const patterns = [...phrases, ...markers];
  // Character classes: 0 for any character no phrase contains.
  const classOf = new Map<number, number>();
  for (const p of patterns) for (let i = 0; i < p.length; i++) if (!classOf.has(p.charCodeAt(i))) classOf.set(p.charCodeAt(i), classOf.size + 1);
  const width = classOf.size + 1;
  const cls = (code: number) => classOf.get(code) ?? 0;

  // The trie.
  const goto: number[][] = [new Array<number>(width).fill(-1)];
  const depth: number[] = [0];
  const ends: number[][] = [[]];
  patterns.forEach((p, index) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = cls(p.charCodeAt(i));
      let next = goto[s]![c]!;
      if (next < 0) {
        next = goto.length;
        goto.push(new Array<number>(width).fill(-1));
        depth.push(depth[s]! + 1);
        ends.push([]);
        goto[s]![c] = next;
      }
      s = next;
    }
    ends[s]!.push(index);
  });

  // Failure links, breadth first, completing the transitions into a DFA; each state's output is every phrase
  // that ends there (its own and its failure chain's).
  const states = goto.length;
  const table = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const outputs: number[][] = ends.map((e) => [...e]);
  const queue: number[] = [];
  for (let c = 0; c < width; c++) {
    const next = goto[0]![c]!;
    table[c] = next < 0 ? 0 : next;
    if (next > 0) queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    outputs[s]!.push(...outputs[fail[s]!]!.filter((p) => !outputs[s]!.includes(p)));
    for (let c = 0; c < width; c++) {
      const next = goto[s]![c]!;
      if (next < 0) {
        table[s * width + c] = table[fail[s]! * width + c]!;
      } else {
        fail[next] = table[fail[s]! * width + c]!;
        table[s * width + c] = next;
        queue.push(next);
      }
    }
  }
  // The scan loop's tables: the transition table holds row offsets (state × width), the class of every UTF-16 unit.
  const hasOutput = outputs.map((o) => o.length > 0);
  // Each entry: (target state × width) × 2, plus 1 when the target state has output.
  const rows = new Int32Array(states * width);
  for (let k = 0; k < rows.length; k++) rows[k] = table[k]! * width * 2 + (hasOutput[table[k]!] ? 1 : 0);
  const classes = new Uint8Array(65536);
  if (width > 255) throw new Error("phraseScanner: too many distinct characters");
  for (const [code, c] of classOf) classes[code] = c;
  const lengths = patterns.map((p) => p.length);

  const stateDepth = Int32Array.from(depth);

  /** The match among the candidates a regex would report first: leftmost, then longest (−1 when none). */
  function best(starts: number[], found: number[]): number {
    let b = -1;
    for (let k = 0; k < found.length; k++) {
      if (b < 0 || starts[k]! < starts[b]! || (starts[k] === starts[b] && lengths[found[k]!]! > lengths[found[b]!]!)) b = k;
    }
    return b;
  }

  // Scratch lists for scan(): matches found but not yet final (a longer one starting earlier may still end later).
  const starts: number[] = [];
  const found: number[] = [];

  return {
    scan(lower, out, markersOut) {
      starts.length = 0;
      found.length = 0;
      let nextFree = 0;
      let v = 0;
      for (let i = 0; i <= lower.length; i++) {
        let before: number;
        if (i < lower.length) {
          v = rows[(v >> 1) + classes[lower.charCodeAt(i)]!]!;
          if ((v & 1) !== 0) {
            for (const p of outputs[(v >> 1) / width]!) {
              if (p >= firstMarker) {
                markersOut?.push(p - firstMarker);
                continue;
              }
              const start = i + 1 - lengths[p]!;
              if (start >= nextFree) {
                starts.push(start);
                found.push(p);
              }
            }
          }
          if (found.length === 0) continue;
          // Every match still to come starts at or after i + 1 − depth.
          before = i + 1 - stateDepth[(v >> 1) / width]!;
        } else {
          before = Number.MAX_SAFE_INTEGER;
        }
        for (let b = best(starts, found); b >= 0 && starts[b]! < before; b = best(starts, found)) {
          out.push(found[b]!);
          nextFree = starts[b]! + lengths[found[b]!]!;
          for (let k = found.length - 1; k >= 0; k--) {
            if (starts[k]! < nextFree) {
              starts.splice(k, 1);
              found.splice(k, 1);
            }
          }
        }
      }
    },
  };
}
