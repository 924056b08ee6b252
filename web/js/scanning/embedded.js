// Archives, executables, PDF, HTML and scripts inside a file, anywhere after its first byte
// (EmbeddedContent.cs): binary formats by their magic number plus the header fields after it, with the
// same matcher as the feature library; HTML and script markers case-insensitively, except in SVG, HTML
// and scripts (whose content other rules judge). One finding per kind, naming its first offset.

import { compileMatcher, startMatch } from './matcher.js';
import { parsePattern } from './pattern.js';

export const DETECTOR = 'embedded';

const BINARY = [
  ['embedded.archive', 'a ZIP archive', '504b0304[0a,14,2d,3f]00????[00,08]00'],
  ['embedded.archive', 'a RAR archive', '526172211a07'],
  ['embedded.archive', 'a 7z archive', '377abcaf271c'],
  ['embedded.archive', 'a gzip stream', '1f8b08[00,08]????????[00,02,04][00,03,0b,ff]'],
  ['embedded.executable', 'an ELF executable', '7f454c46[01,02][01,02]01'],
  ['embedded.executable', 'a Windows (PE) executable', '50450000[4c01,6486,64aa,c001]'],
  ['embedded.executable', 'a Mach-O executable', '[cefaedfe07000000,cefaedfe0c000000,cffaedfe07000001,cffaedfe0c000001]'],
  ['embedded.pdf', 'a PDF document', '255044462d[31,32]2e'],
];

const TEXT = [
  ['embedded.html', 'HTML', '<html'],
  ['embedded.html', 'HTML', '<!doctype html'],
  ['embedded.html', 'HTML', '<iframe'],
  ['embedded.html', 'HTML', '<body'],
  ['embedded.script', 'a script element', '<script'],
  ['embedded.script', 'PHP code', '<?php'],
  ['embedded.script', 'a shell script', '#!/bin/'],
  ['embedded.script', 'a shell script', '#!/usr/'],
  ['embedded.executable', 'a Windows (PE) executable', 'this program cannot be run in dos mode'],
];
const LONGEST_MARKER = Math.max(...TEXT.map(([, , marker]) => marker.length));

/** `01[02,03]` → `0102`, `0103`. */
function expand(template) {
  const open = template.indexOf('[');
  if (open < 0) return [template];
  const close = template.indexOf(']', open);
  return template.slice(open + 1, close).split(',').flatMap((choice) => expand(template.slice(0, open) + choice + template.slice(close + 1)));
}

const singleByte = new TextDecoder('windows-1252');
let binaryMatcher;
function matcher() {
  binaryMatcher ??= compileMatcher({
    version: 0,
    removals: [],
    features: BINARY.flatMap(([code, what, template]) => expand(template).map((hex) => ({
      addedIn: 1, feature: { name: code, reason: what, signature: { kind: 'pattern', pattern: parsePattern(hex), anchor: { kind: 'any', offset: 0 } } },
    }))),
  });
  return binaryMatcher;
}

/** Starts a search through one file of the given format; feed it the bytes in order. */
export function startEmbedded(format) {
  const binary = startMatch(matcher());
  const searchText = !['svg', 'html', 'script'].includes(format);
  const first = new Map();
  let carried = new Uint8Array(0);
  let position = 0;

  const note = (code, what, offset) => {
    if (offset <= 0) return;
    if (!first.has(code) || offset < first.get(code).offset) first.set(code, { what, offset });
  };

  return {
    feed(data) {
      binary.feed(data);
      if (searchText) {
        // Lower-cased ASCII, with the end of the previous piece in front so that markers across pieces are found.
        const text = new Uint8Array(carried.length + data.length);
        text.set(carried);
        text.set(data, carried.length);
        for (let i = carried.length; i < text.length; i++) if (text[i] >= 0x41 && text[i] <= 0x5a) text[i] += 32;
        const from = position - carried.length;
        // One character per byte (windows-1252 maps every byte to one UTF-16 unit), so indexes are offsets.
        const latin = singleByte.decode(text);
        for (const [code, what, marker] of TEXT) {
          // Only matches ending in the new bytes: the carried ones were searched with the piece before.
          let at = latin.indexOf(marker, Math.max(0, carried.length - marker.length + 1));
          if (from + at === 0) at = latin.indexOf(marker, 1);
          if (at >= 0) note(code, what, from + at);
        }
        carried = text.slice(Math.max(0, text.length - LONGEST_MARKER + 1));
      }
      position += data.length;
    },
    /** @returns {object[]} findings, ordered by code as C#'s SortedDictionary */
    finish() {
      for (const { feature, range } of binary.finish()) note(feature.name, feature.reason, range.start);
      return [...first.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, { what, offset }]) => ({ code, detector: DETECTOR, detail: `The file holds ${what} at byte ${offset}.` }));
    },
  };
}
