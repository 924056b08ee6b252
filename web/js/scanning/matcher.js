// Matching a feature library against one file fed in order (FeatureMatcher.cs, FeatureMatchSession.cs):
// file and payload SHA-256 (with their sizes), unanchored patterns found by their parts' literal runs
// and checked in start order once the window holds the part's longest match, parts split by `*`
// chained in order, anchored patterns (start+N, eof-N) checked at the end. Memory is bounded by the
// library, not the file: a window of the longest part (or the farthest eof-N) and the first bytes up
// to the farthest start+N. The literal runs are searched one distinct run at a time (C# builds one
// Aho-Corasick automaton): the same hits, at a cost that grows with the number of distinct runs.

import { sha256 } from '../../vendor/noble-hashes/sha2.js';

export const CHUNK = 64 * 1024;
export const DETECTOR = 'features';

export const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** @param {import('./feature-text.js').Library} library */
export function compileMatcher(library) {
  const features = library.features.map((f) => f.feature);
  const hashIndex = (kind) => {
    const index = new Map();
    for (const f of features) if (f.signature.kind === kind) index.set(f.signature.hex, [...(index.get(f.signature.hex) ?? []), f]);
    return index;
  };
  const patterns = features.filter((f) => f.signature.kind === 'pattern');
  const anywhere = patterns.filter((f) => f.signature.anchor.kind === 'any');
  const anchored = patterns.filter((f) => f.signature.anchor.kind !== 'any');
  // Distinct literal runs, each with the (pattern, part) pairs it stands for.
  const runs = new Map();
  anywhere.forEach((f, p) => f.signature.pattern.parts.forEach((part, i) => {
    const key = toHex(part.anchorRun);
    if (!runs.has(key)) runs.set(key, { bytes: part.anchorRun, owners: [] });
    runs.get(key).owners.push([p, i]);
  }));
  return {
    version: library.version,
    fileHashes: hashIndex('file'),
    payloadHashes: hashIndex('payload'),
    anywhere,
    anchored,
    runs: [...runs.values()],
    longestPart: Math.max(0, ...anywhere.flatMap((f) => f.signature.pattern.parts.map((part) => part.maxLength))),
    headLength: Math.max(0, ...anchored.filter((f) => f.signature.anchor.kind === 'start').map((f) => f.signature.anchor.offset + f.signature.pattern.parts[0].maxLength)),
    tailLength: Math.max(0, ...anchored.filter((f) => f.signature.anchor.kind === 'end').map((f) => f.signature.anchor.offset)),
  };
}

/** One feature.match finding per hit, worded as FeatureMatcher.Findings. */
export const matchFindings = (matcher, hits) => hits.map(({ feature, range }) => ({
  code: 'feature.match',
  detector: DETECTOR,
  detail: `Feature ${feature.name} (library version ${matcher.version}) matches bytes ${range.start}-${range.start + range.length}: ${feature.reason}`,
}));

/** Starts matching one file. @param {{ start: number, length: number }[]} payloads */
export function startMatch(matcher, payloads = []) {
  const whole = sha256.create();
  const payloadHashes = payloads.map(() => sha256.create());
  const head = new Uint8Array(matcher.headLength);
  const keep = Math.max(matcher.longestPart, matcher.tailLength);
  const window = new Uint8Array(keep + CHUNK);
  const nextPart = matcher.anywhere.map(() => 0);
  const partEnds = matcher.anywhere.map((f) => f.signature.pattern.parts.map(() => 0));
  const found = [];
  let candidates = [];
  let windowStart = 0;
  let windowLength = 0;
  let position = 0;
  let fileDigest = null;

  const partsOf = (p) => matcher.anywhere[p].signature.pattern.parts;
  const windowAt = (start, maxLength) => {
    const at = start - windowStart;
    return window.subarray(at, at + Math.min(maxLength, windowLength - at));
  };

  function slide(piece) {
    if (windowLength + piece.length > window.length) {
      const drop = windowLength - keep;
      window.copyWithin(0, drop, windowLength);
      windowStart += drop;
      windowLength = keep;
    }
    window.set(piece, windowLength);
    windowLength += piece.length;
  }

  /** Every occurrence of each run that ends in the piece just added (its first byte may lie before). */
  function findRuns(pieceLength) {
    const pieceAt = windowLength - pieceLength;
    for (const { bytes, owners } of matcher.runs) {
      for (let at = window.indexOf(bytes[0], Math.max(0, pieceAt - bytes.length + 1)); at >= 0 && at + bytes.length <= windowLength; at = window.indexOf(bytes[0], at + 1)) {
        if (at >= windowLength) break;
        let k = 1;
        while (k < bytes.length && window[at + k] === bytes[k]) k++;
        if (k < bytes.length) continue;
        for (const [p, i] of owners) {
          const part = partsOf(p)[i];
          const start = windowStart + at - part.anchorOffset;
          if (start >= 0 && nextPart[p] < partEnds[p].length) candidates.push({ p, i, start });
        }
      }
    }
  }

  function drain(upTo) {
    if (candidates.length === 0) return;
    candidates.sort((a, b) => a.start - b.start);
    let taken = 0;
    while (taken < candidates.length && candidates[taken].start <= upTo) {
      const { p, i, start } = candidates[taken++];
      verify(p, i, start);
    }
    candidates = candidates.slice(taken);
  }

  function verify(p, i, start) {
    const parts = partsOf(p);
    const next = nextPart[p];
    if (next === parts.length || i > next || i < next - 1) return;
    if (i > 0 && start < partEnds[p][i - 1] + parts[i].minGapBefore) return;
    const length = parts[i].match(windowAt(start, parts[i].maxLength));
    if (length < 0) return;
    const end = start + length;
    if (i === next - 1) {
      partEnds[p][i] = Math.min(partEnds[p][i], end);
      return;
    }
    partEnds[p][i] = end;
    if (++nextPart[p] === parts.length) found.push({ feature: matcher.anywhere[p], range: { start, length: end - start } });
  }

  function feedPiece(piece) {
    slide(piece);
    if (position < head.length) head.set(piece.subarray(0, Math.min(piece.length, head.length - position)), position);
    whole.update(piece);
    payloads.forEach((payload, k) => {
      const from = Math.max(payload.start, position);
      const to = Math.min(payload.start + payload.length, position + piece.length);
      if (from < to) payloadHashes[k].update(piece.subarray(from - position, to - position));
    });
    findRuns(piece.length);
    position += piece.length;
    drain(position - matcher.longestPart);
  }

  function checkAnchored() {
    for (const feature of matcher.anchored) {
      const part = feature.signature.pattern.parts[0];
      const { kind, offset } = feature.signature.anchor;
      let at;
      if (kind === 'start') {
        const available = Math.min(position, head.length);
        if (offset >= available) continue;
        at = head.subarray(offset, offset + Math.min(part.maxLength, available - offset));
      } else {
        if (offset > position) continue;
        at = windowAt(position - offset, part.maxLength);
      }
      const length = part.match(at);
      if (length >= 0) found.push({ feature, range: { start: kind === 'start' ? offset : position - offset, length } });
    }
  }

  function checkHashes() {
    fileDigest = whole.digest();
    for (const feature of matcher.fileHashes.get(toHex(fileDigest)) ?? []) {
      if (feature.signature.size === null || feature.signature.size === position) found.push({ feature, range: { start: 0, length: position } });
    }
    payloads.forEach((payload, k) => {
      if (payload.start + payload.length > position) return;
      for (const feature of matcher.payloadHashes.get(toHex(payloadHashes[k].digest())) ?? []) {
        if (feature.signature.size === null || feature.signature.size === payload.length) found.push({ feature, range: payload });
      }
    });
  }

  return {
    /** @param {Uint8Array} data the next bytes of the file */
    feed(data) {
      for (let offset = 0; offset < data.length; offset += CHUNK) feedPiece(data.subarray(offset, offset + CHUNK));
    },
    /** @returns {{ feature: object, range: { start: number, length: number } }[]} */
    finish() {
      drain(Number.MAX_SAFE_INTEGER);
      checkAnchored();
      checkHashes();
      return found;
    },
    /** The whole file's SHA-256, after finish: its content id. */
    get fileDigest() {
      return fileDigest;
    },
  };
}
