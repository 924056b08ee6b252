// Parley's feature file (docs/scanning.md "Feature format"; FeatureText.cs, FeatureLine.cs,
// FeatureLines.cs): `parley-features 1` libraries and `parley-features-delta 1` deltas, parsed as
// strictly as the C# does (the first bad line is refused with its number), and deltas applied
// (FeatureLibrary.Apply).

import { parsePattern } from './pattern.js';

export const LIBRARY_HEADER = 'parley-features 1';
export const DELTA_HEADER = 'parley-features-delta 1';
const MAX_ANCHOR_OFFSET = 16 * 1024 * 1024;

/**
 * @typedef {{ kind: 'file'|'payload', hex: string, size: number|null } | { kind: 'pattern', pattern: ReturnType<typeof parsePattern>, anchor: { kind: 'any'|'start'|'end', offset: number } }} Signature
 * @typedef {{ name: string, reason: string, signature: Signature }} Feature
 * @typedef {{ version: number, features: { addedIn: number, feature: Feature }[], removals: { removedIn: number, name: string }[] }} Library
 */

export const EMPTY_LIBRARY = Object.freeze({ version: 0, features: [], removals: [] });

export class FeatureFormatError extends Error {
  constructor(line, message) {
    super(`Line ${line}: ${message}`);
    this.line = line;
  }
}

/** @returns {Library} */
export function parseLibrary(text) {
  const read = readText(text);
  if (read.header !== LIBRARY_HEADER) throw new FeatureFormatError(1, `A library starts with '${LIBRARY_HEADER}'.`);
  return { version: read.version, features: read.features, removals: read.removals };
}

/** @returns {{ from: number, to: number, added: Library['features'], removed: Library['removals'] }} */
export function parseDelta(text) {
  const read = readText(text);
  if (read.header !== DELTA_HEADER) throw new FeatureFormatError(1, `A delta starts with '${DELTA_HEADER}'.`);
  return { from: read.from, to: read.version, added: read.features, removed: read.removals };
}

/** The library brought to the delta's version; a delta already applied changes nothing, one that starts later is refused. */
export function applyDelta(library, delta) {
  if (delta.from > library.version) throw new Error(`The update starts at version ${delta.from} but this library is at ${library.version}: fetch the changes since ${library.version}.`);
  if (delta.to <= library.version) return library;
  const removed = delta.removed.filter((r) => r.removedIn > library.version);
  const added = delta.added.filter((f) => f.addedIn > library.version);
  const replaced = new Set([...removed.map((r) => r.name), ...added.map((f) => f.feature.name)]);
  const removedNames = new Set(removed.map((r) => r.name));
  return {
    version: delta.to,
    features: [...library.features.filter((f) => !replaced.has(f.feature.name)), ...added],
    removals: [...library.removals.filter((r) => !removedNames.has(r.name)), ...removed],
  };
}

/** The library as text (what the page keeps in IndexedDB). */
export function writeLibrary(library) {
  const lines = [LIBRARY_HEADER, `version ${library.version}`];
  for (const { addedIn, feature } of library.features) lines.push(`feature ${addedIn} ${feature.name} ${formatSignature(feature.signature)} ${feature.reason}`);
  for (const { removedIn, name } of library.removals) lines.push(`removed ${removedIn} ${name}`);
  return `${lines.join('\n')}\n`;
}

function formatSignature(signature) {
  if (signature.kind !== 'pattern') return `${signature.kind}-sha256 ${signature.hex}:${signature.size ?? '*'}`;
  const { kind, offset } = signature.anchor;
  return `bytes ${kind === 'any' ? 'any' : kind === 'start' ? `start+${offset}` : `eof-${offset}`} ${signature.pattern.text}`;
}

function readText(text) {
  let header = null;
  let from = null;
  let version = null;
  const features = [];
  const removals = [];
  const names = new Set();
  const lines = text.split('\n');
  for (let number = 1; number <= lines.length; number++) {
    const line = lines[number - 1].replace(/\r+$/, '');
    if (line.length === 0 || line.startsWith('#')) continue;
    if (header === null) {
      if (line !== LIBRARY_HEADER && line !== DELTA_HEADER) throw new FeatureFormatError(number, `A feature file starts with '${LIBRARY_HEADER}' or '${DELTA_HEADER}'.`);
      header = line;
      continue;
    }
    const isDelta = header === DELTA_HEADER;
    const rest = { text: line };
    const keyword = nextToken(rest);
    if (keyword === 'from' && isDelta && from === null) from = readNumber(rest.text, number);
    else if (keyword === 'version' && version === null && (!isDelta || from !== null)) version = readNumber(rest.text, number);
    else if (keyword === 'feature' && version !== null) {
      const feature = parseFeature(rest, version, number);
      if (names.has(feature.feature.name)) throw new FeatureFormatError(number, `'${feature.feature.name}' is named twice.`);
      names.add(feature.feature.name);
      features.push(feature);
    } else if (keyword === 'removed' && version !== null) {
      const removedIn = lineVersion(rest, version, number);
      const name = checkName(token(rest, number, 'a name'), number);
      if (rest.text.trim().length > 0) throw new FeatureFormatError(number, "A 'removed' line is 'removed VERSION NAME' and nothing more.");
      removals.push({ removedIn, name });
    } else {
      throw new FeatureFormatError(number, version === null
        ? `Expected ${isDelta ? "'from V' then " : ''}'version N' before anything else, not '${shorten(line)}'.`
        : `'${shorten(line)}' is not a 'feature' or 'removed' line.`);
    }
  }
  if (header === null || version === null) throw new FeatureFormatError(lines.length, 'The file ends before its header and version.');
  if (header === DELTA_HEADER && from > version) throw new FeatureFormatError(lines.length, `A delta cannot go back from version ${from} to ${version}.`);
  return { header, from: from ?? 0, version, features, removals };
}

function parseFeature(rest, version, number) {
  const addedIn = lineVersion(rest, version, number);
  const name = checkName(token(rest, number, 'a name'), number);
  const kind = token(rest, number, 'a kind (file-sha256, payload-sha256 or bytes)');
  let signature;
  if (kind === 'file-sha256' || kind === 'payload-sha256') signature = parseHash(kind === 'file-sha256' ? 'file' : 'payload', token(rest, number, 'HEX:SIZE'), number);
  else if (kind === 'bytes') signature = parseBytes(token(rest, number, 'an anchor'), token(rest, number, 'a hex pattern'), number);
  else throw new FeatureFormatError(number, `'${kind}' is not a kind: file-sha256, payload-sha256 or bytes.`);
  const reason = rest.text.trim();
  // eslint-disable-next-line no-control-regex
  const error = reason.length === 0 ? 'The reason is missing.' : reason.length > 500 ? 'The reason is longer than 500 characters.' : /[\u0000-\u001f\u007f-\u009f]/.test(reason) ? 'The reason holds a control character.' : null;
  if (error) throw new FeatureFormatError(number, error);
  return { addedIn, feature: { name, reason, signature } };
}

function parseHash(kind, text, number) {
  const colon = text.indexOf(':');
  if (colon < 0) throw new FeatureFormatError(number, `'${text}' is not 'sha256hex:size' (size may be '*').`);
  const hex = text.slice(0, colon).toLowerCase();
  const sizeText = text.slice(colon + 1);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new FeatureFormatError(number, `'${text.slice(0, colon)}' is not a SHA-256 (64 hex digits).`);
  if (sizeText === '*') return { kind, hex, size: null };
  if (!/^[0-9]+$/.test(sizeText)) throw new FeatureFormatError(number, `'${sizeText}' is not a size in bytes or '*'.`);
  return { kind, hex, size: Number(sizeText) };
}

function parseBytes(anchorText, patternText, number) {
  let pattern;
  try {
    pattern = parsePattern(patternText);
  } catch (error) {
    throw new FeatureFormatError(number, error.message);
  }
  const offset = (text) => {
    if (!/^[0-9]+$/.test(text) || Number(text) > 2147483647) throw new FeatureFormatError(number, `'${text}' is not an offset in bytes.`);
    return Number(text);
  };
  let anchor;
  if (anchorText === 'any') anchor = { kind: 'any', offset: 0 };
  else if (anchorText === 'end') {
    if (pattern.fixedLength === null) throw new FeatureFormatError(number, "'end' needs a pattern of fixed length; use eof-N.");
    anchor = { kind: 'end', offset: pattern.fixedLength };
  } else if (anchorText.startsWith('start+')) anchor = { kind: 'start', offset: offset(anchorText.slice(6)) };
  else if (anchorText.startsWith('eof-')) anchor = { kind: 'end', offset: offset(anchorText.slice(4)) };
  else throw new FeatureFormatError(number, `'${anchorText}' is not an anchor: any, start+N, eof-N or end.`);
  if (anchor.kind !== 'any') {
    if (!pattern.bounded) throw new FeatureFormatError(number, "An anchored pattern cannot hold '*' (its length must be bounded).");
    if (anchor.offset + pattern.parts[0].maxLength > MAX_ANCHOR_OFFSET) throw new FeatureFormatError(number, `An anchored pattern must lie within the first or last ${MAX_ANCHOR_OFFSET} bytes.`);
  }
  return { kind: 'pattern', pattern, anchor };
}

function lineVersion(rest, version, number) {
  const value = token(rest, number, 'a version');
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new FeatureFormatError(number, `'${value}' is not a version (a positive integer).`);
  if (Number(value) > version) throw new FeatureFormatError(number, `Version ${value} is newer than the file's version ${version}.`);
  return Number(value);
}

function readNumber(text, number) {
  const value = text.trim();
  if (value === '0') return 0;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new FeatureFormatError(number, `'${value}' is not a version (a positive integer).`);
  return Number(value);
}

function checkName(name, number) {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(name)) throw new FeatureFormatError(number, `'${name}' is not a feature name (1 to 128 of A-Z a-z 0-9 . _ -).`);
  return name;
}

/** Splits off the next space-separated token. */
function nextToken(rest) {
  rest.text = rest.text.replace(/^ +/, '');
  const space = rest.text.indexOf(' ');
  const value = space < 0 ? rest.text : rest.text.slice(0, space);
  rest.text = space < 0 ? '' : rest.text.slice(space + 1);
  return value;
}

function token(rest, number, what) {
  const value = nextToken(rest);
  if (!value) throw new FeatureFormatError(number, `The line ends where ${what} should be.`);
  return value;
}

const shorten = (line) => (line.length <= 60 ? line : `${line.slice(0, 57)}...`);
