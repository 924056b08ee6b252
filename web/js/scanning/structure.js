// The structural checks of the first detection, in one forward read of the file: the JavaScript twin
// of src/Parley.Core/Scanning/Structure/StructureChecks.cs (format by magic bytes against the declared
// media type and the name, then the format's walk: end markers, dimensions judged from headers,
// truncation, malformed structures, payloads). docs/scanning.md is the spec.

import { checkType, HEAD_LENGTH, identify, isAttachment, latin1 } from './formats.js';
import { walkGif, walkJpeg, walkPng } from './picture-walkers.js';
import { ascii, ByteReader, printable, u16le, u32be, u32le } from './reader.js';

/** ScanLimits' defaults. */
export const DEFAULT_LIMITS = { maxWidth: 20000, maxHeight: 20000, maxPixels: 200_000_000, maxAnimationPixels: 1_000_000_000 };

/** Collects one walker's findings and payloads, and judges declared dimensions against the limits. */
class StructureLog {
  constructor(detector, limits) {
    this.detector = detector;
    this.limits = limits;
    this.findings = [];
    this.payloads = [];
  }

  add(code, detail) {
    this.findings.push({ code, detector: this.detector, detail });
  }

  truncated(what, at) {
    this.add('structure.truncated', `The file ends at byte ${at}, inside ${what}.`);
  }

  malformed(detail) {
    this.add('structure.malformed', detail);
  }

  dataAfterEnd(marker, start, length) {
    if (length <= 0) return;
    this.payloads.push({ start, length });
    this.add('data.after_end', `${length} bytes follow the ${marker} at byte ${start}.`);
  }

  /** False when the dimensions are beyond the limits. */
  dimensions(width, height, what) {
    const { maxWidth, maxHeight, maxPixels } = this.limits;
    if (width <= maxWidth && height <= maxHeight && width * height <= maxPixels) return true;
    this.add('dimensions.too_large', `${what} declares ${width}×${height} pixels; the limits are ${maxWidth}×${maxHeight} and ${maxPixels} pixels.`);
    return false;
  }
}

const WALKERS = { png: walkPng, jpeg: walkJpeg, gif: walkGif, webp: walkWebP, svg: checkSvg, mp4: walkMp4, quicktime: walkMp4 };

/**
 * @param {Blob} file
 * @param {string|undefined} declaredMediaType
 * @param {string|undefined} fileName
 * @returns {Promise<{ format: string, findings: object[], payloads: { start: number, length: number }[], attachment: boolean }>}
 */
export async function checkStructure(file, declaredMediaType, fileName, limits = DEFAULT_LIMITS) {
  const reader = new ByteReader(file);
  const format = identify(await reader.peek(HEAD_LENGTH));
  const log = new StructureLog(format, limits);
  const typeFindings = checkType(format, declaredMediaType, fileName);
  await WALKERS[format]?.(reader, log);
  return { format, findings: [...typeFindings, ...log.findings], payloads: log.payloads, attachment: isAttachment(format, declaredMediaType, fileName) };
}

async function walkWebP(reader, log) {
  const riff = await reader.read(12);
  if (!riff) return log.truncated('the RIFF header', reader.position);
  const end = 8 + u32le(riff, 4);
  let sized = false;
  while (reader.position < end) {
    const at = reader.position;
    const header = await reader.read(8);
    if (!header) return log.truncated(`the chunk header at byte ${at}`, reader.position);
    const type = ascii(header.subarray(0, 4));
    const length = u32le(header, 4);
    const padded = length + (length & 1);
    if (at + 8 + padded > end) return log.malformed(`The ${printable(header.subarray(0, 4))} chunk at byte ${at} runs past the RIFF size (${end} bytes).`);
    const body = await reader.peek(Math.min(length, 16));
    if (!sized && ['VP8 ', 'VP8L', 'VP8X'].includes(type)) {
      if (!checkWebPSize(type, body, log)) return;
      sized = true;
    }
    if (!(await reader.consume(padded))) return log.truncated(`the ${type} chunk at byte ${at}`, reader.position);
  }
  if (!sized) log.malformed('The WebP has no VP8, VP8L or VP8X chunk.');
  log.dataAfterEnd("WebP's RIFF size", end, reader.consumeRest());
}

function checkWebPSize(type, body, log) {
  let size = null;
  if (type === 'VP8X' && body.length >= 10) {
    size = [1 + (body[4] | (body[5] << 8) | (body[6] << 16)), 1 + (body[7] | (body[8] << 8) | (body[9] << 16))];
  } else if (type === 'VP8L' && body.length >= 5 && body[0] === 0x2f) {
    const bits = u32le(body, 1);
    size = [1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff)];
  } else if (type === 'VP8 ' && body.length >= 10 && body[3] === 0x9d && body[4] === 0x01 && body[5] === 0x2a) {
    size = [u16le(body, 6) & 0x3fff, u16le(body, 8) & 0x3fff];
  }
  if (!size) return log.malformed(`The ${type.trim()} chunk's header is not valid.`), false;
  log.dimensions(size[0], size[1], `The WebP's ${type.trim()} header`);
  return true;
}

async function walkMp4(reader, log) {
  let sawMovie = false;
  while (!(await reader.atEnd())) {
    const at = reader.position;
    const header = await reader.read(8);
    if (!header) return log.truncated(`the box header at byte ${at}`, reader.position);
    let size = u32be(header, 0);
    const type = header.subarray(4);
    if (type.some((b) => b < 0x20 || b > 0x7e)) return log.malformed(`Byte ${at} starts no box (type '${printable(type)}').`);
    let headerLength = 8;
    if (size === 1) {
      const large = await reader.read(8);
      if (!large) return log.truncated(`the box header at byte ${at}`, reader.position);
      size = u32be(large, 0) * 2 ** 32 + u32be(large, 4);
      headerLength = 16;
    }
    sawMovie ||= ascii(type) === 'moov';
    if (size === 0) {
      reader.consumeRest();
      break;
    }
    if (size < headerLength) return log.malformed(`The box at byte ${at} declares ${size} bytes, less than its header.`);
    if (!(await reader.consume(size - headerLength))) return log.truncated(`the '${printable(type)}' box at byte ${at}`, reader.position);
  }
  if (!sawMovie) log.malformed("The file has no 'moov' box: no movie header.");
}

// SvgCheck.cs's rules, in its order; .NET's and JavaScript's regular expressions agree on these.
const SVG_RULES = [
  ['svg.script', /<(\w+:)?script\b/i, 'a script element'],
  ['svg.script', /[\s/"']on[a-z]+\s*=/i, 'an event handler attribute'],
  ['svg.script', /javascript\s*:/i, 'a javascript: URL'],
  ['svg.script', /data:\s*(text\/html|image\/svg\+xml|application\/xhtml)/i, 'an HTML or SVG data: URL'],
  ['svg.script', /(href|src)\s*=\s*["']?\s*&#/i, 'a link hidden behind character references'],
  ['svg.external_reference', /(href|src)\s*=\s*["']?\s*(https?:|ftp:|file:|\/\/)/i, 'a link to an external URL'],
  ['svg.external_reference', /<(\w+:)?foreignObject\b/i, 'a foreignObject element (embedded HTML)'],
  ['svg.external_reference', /<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b/i, 'an external entity'],
  ['svg.external_reference', /(url\(\s*["']?\s*(https?:|ftp:|file:|\/\/)|@import)/i, 'a CSS reference to an external URL'],
];
const SVG_PIECE = 1024 * 1024;
const SVG_OVERLAP = 1024;

/** Read in overlapping pieces, so size costs no memory. */
async function checkSvg(reader, log) {
  const found = new Set();
  let carried = '';
  let carriedFrom = 0;
  while (true) {
    const bytes = await reader.readAtMost(SVG_PIECE);
    if (bytes.length === 0) break;
    const text = carried + latin1(bytes);
    for (const [code, pattern, what] of SVG_RULES) {
      const match = found.has(what) ? null : pattern.exec(text);
      if (!match) continue;
      found.add(what);
      const value = match[0].length <= 60 ? match[0] : `${match[0].slice(0, 57)}...`;
      log.add(code, `The SVG holds ${what} at byte ${carriedFrom + match.index}: '${value}'.`);
    }
    const keep = Math.min(SVG_OVERLAP, text.length);
    carriedFrom += text.length - keep;
    carried = text.slice(text.length - keep);
    if (bytes.length < SVG_PIECE) break;
  }
}
