// Byte patterns in ClamAV's body-signature hex (BytePattern.cs, PatternPart.cs): byte pairs, `??` for
// any byte, `{n}`, `{n-m}`, `{-m}` bounded gaps, `*` or `{n-}` unbounded ones. The unbounded gaps cut a
// pattern into bounded parts, each matched on its own and chained in order; a part's longest literal run
// before its first variable gap is what the search looks for.

export const MAX_PART_LENGTH = 64 * 1024;
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** @returns {{ text: string, parts: Part[], fixedLength: number|null, bounded: boolean }} @throws {Error} with the reason */
export function parsePattern(text) {
  const parts = [];
  let tokens = [];
  let canonical = '';
  let pendingStarMin = 0;
  for (let i = 0; i < text.length;) {
    if (text[i] === '*' || text[i] === '{') {
      const gap = readGap(text, i);
      i = gap.next;
      if (gap.max !== UNBOUNDED) {
        canonical += gap.min === gap.max ? `{${gap.min}}` : `{${gap.min}-${gap.max}}`;
        tokens.push({ kind: 'gap', min: gap.min, max: gap.max });
        continue;
      }
      canonical += gap.min === 0 ? '*' : `{${gap.min}-}`;
      parts.push(closePart(tokens, pendingStarMin));
      tokens = [];
      pendingStarMin = gap.min;
      continue;
    }
    if (i + 1 >= text.length) throw new Error(`'${text}' ends with half a byte.`);
    const pair = text.slice(i, i + 2);
    if (pair === '??') tokens.push({ kind: 'any', min: 1, max: 1 });
    else if (/^[0-9a-fA-F]{2}$/.test(pair)) tokens.push({ kind: 'literal', value: parseInt(pair, 16), min: 1, max: 1 });
    else throw new Error(`'${pair}' at character ${i + 1} is neither a hex byte nor '??'.`);
    canonical += pair.toLowerCase();
    i += 2;
  }
  parts.push(closePart(tokens, pendingStarMin));
  const bounded = parts.length === 1;
  return { text: canonical, parts, bounded, fixedLength: bounded && parts[0].minLength === parts[0].maxLength ? parts[0].maxLength : null };
}

function readGap(text, i) {
  if (text[i] === '*') return { min: 0, max: UNBOUNDED, next: i + 1 };
  const close = text.indexOf('}', i);
  if (close < 0) throw new Error("A '{' has no closing '}'.");
  const inner = text.slice(i + 1, close);
  const dash = inner.indexOf('-');
  const minText = dash < 0 ? inner : inner.slice(0, dash);
  const maxText = dash < 0 ? inner : inner.slice(dash + 1);
  const number = (t) => (/^[0-9]+$/.test(t) && Number(t) <= 2147483647 ? Number(t) : NaN);
  const min = minText.length > 0 || dash < 0 ? number(minText) : 0;
  const max = maxText.length > 0 || dash < 0 ? number(maxText) : UNBOUNDED;
  if (Number.isNaN(min) || Number.isNaN(max) || (minText.length === 0 && maxText.length === 0) || max < min || (max !== UNBOUNDED && max > MAX_PART_LENGTH)) {
    throw new Error(`'{${inner}}' is not a gap (n, n-m, -m or n-; at most ${MAX_PART_LENGTH}).`);
  }
  return { min, max, next: close + 1 };
}

function closePart(tokens, minGapBefore) {
  if (tokens.length === 0) throw new Error('A gap must sit between bytes: the pattern is empty or starts or ends with one.');
  if (tokens[0].kind === 'gap' || tokens[tokens.length - 1].kind === 'gap') throw new Error('A gap must sit between bytes, not at an end of the pattern.');
  const part = new Part(tokens, minGapBefore);
  if (part.maxLength > MAX_PART_LENGTH) throw new Error(`A part of a pattern between '*' may span at most ${MAX_PART_LENGTH} bytes.`);
  if (part.anchorRun.length === 0) throw new Error('Each part of a pattern needs a literal byte before its first variable gap.');
  return part;
}

/** A bounded piece of a pattern. */
export class Part {
  constructor(tokens, minGapBefore) {
    this.tokens = tokens;
    this.minGapBefore = minGapBefore;
    this.minLength = tokens.reduce((sum, t) => sum + t.min, 0);
    this.maxLength = tokens.reduce((sum, t) => sum + t.max, 0);
    this.variableGaps = tokens.filter((t) => t.kind === 'gap' && t.min !== t.max).length;
    // The longest literal run before the first variable gap, and its offset from the part's start.
    let best = [0, 0, 0];
    let run = [0, 0, 0];
    let offset = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === 'gap' && t.min !== t.max) break;
      if (t.kind === 'literal') {
        if (run[1] === 0) run = [offset, 0, i];
        run[1]++;
        if (run[1] > best[1]) best = [...run];
      } else run = [0, 0, 0];
      offset += t.min;
    }
    this.anchorOffset = best[0];
    this.anchorRun = Uint8Array.from({ length: best[1] }, (_, k) => tokens[best[2] + k].value);
  }

  /**
   * The length of the shortest match starting at data[0], or -1; bytes beyond data are absent. With
   * several variable gaps the (token, position) pairs that failed are remembered, so a hostile file
   * cannot make the search exponential.
   */
  match(data) {
    return this.matchFrom(data, 0, 0, this.variableGaps > 1 ? new Set() : null);
  }

  matchFrom(data, token, at, failed) {
    for (; token < this.tokens.length; token++) {
      const t = this.tokens[token];
      if (t.kind === 'gap') {
        if (t.min === t.max) {
          at += t.min;
          continue;
        }
        for (let skip = t.min; skip <= t.max && at + skip <= data.length; skip++) {
          const state = (token + 1) * 0x100000000 + at + skip;
          if (failed?.has(state)) continue;
          const length = this.matchFrom(data, token + 1, at + skip, failed);
          if (length >= 0) return length;
          failed?.add(state);
        }
        return -1;
      }
      if (at >= data.length || (t.kind === 'literal' && data[at] !== t.value)) return -1;
      at++;
    }
    return at;
  }
}
