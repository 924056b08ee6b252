// The PNG, JPEG and GIF walks of the structural checks, ported from
// src/Parley.Core/Scanning/Structure/{Png,Jpeg,Gif}Walker.cs: the same findings, codes and payloads.

import { ascii, printable, u16be, u16le, u32be } from './reader.js';

/**
 * Ancillary PNG chunks (first letter lower case) of the PNG specification and its extensions. The data
 * of any other ancillary chunk (a private one) is a payload for payload features, with no finding of
 * its own: the same rule as PngWalker.cs.
 */
const KNOWN_ANCILLARY = new Set(['bKGD', 'cHRM', 'cICP', 'eXIf', 'gAMA', 'hIST', 'iCCP', 'iTXt', 'mDCV', 'cLLI', 'pHYs', 'sBIT', 'sPLT',
  'sRGB', 'sTER', 'tEXt', 'tIME', 'tRNS', 'zTXt', 'acTL', 'fcTL', 'fdAT']);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crcUpdate(crc, bytes) {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc >>> 0;
}

const isLetter = (b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

export async function walkPng(reader, log) {
  if (!(await reader.consume(8))) return log.truncated('the PNG signature', reader.position);
  let sawImageData = false;
  for (let index = 0; ; index++) {
    const start = reader.position;
    const header = await reader.read(8);
    if (!header) return log.truncated('a chunk header (no IEND)', reader.position);
    const length = u32be(header, 0);
    const typeBytes = header.subarray(4);
    const type = ascii(typeBytes);
    if (length > 0x7fffffff || !typeBytes.every(isLetter)) {
      return log.malformed(`The chunk at byte ${start} is not a PNG chunk (type '${printable(typeBytes)}', length ${length}).`);
    }
    if (index === 0 && (type !== 'IHDR' || length !== 13)) return log.malformed(`A PNG starts with a 13-byte IHDR chunk, not '${type}' of ${length} bytes.`);
    let crc = crcUpdate(0xffffffff, typeBytes);
    if (type === 'IHDR') {
      const ihdr = await reader.read(13);
      if (!ihdr) return log.truncated('the IHDR chunk', reader.position);
      crc = crcUpdate(crc, ihdr);
      if (!checkHeader(ihdr, log)) return;
    } else {
      if (typeBytes[0] >= 0x61 && !KNOWN_ANCILLARY.has(type) && length > 0) log.payloads.push({ start: start + 8, length });
      if (!(await reader.consume(length, (bytes) => { crc = crcUpdate(crc, bytes); }))) return log.truncated(`the ${type} chunk at byte ${start}`, reader.position);
    }
    const stored = await reader.read(4);
    if (!stored) return log.truncated(`the CRC of the ${type} chunk at byte ${start}`, reader.position);
    if (u32be(stored, 0) !== ((crc ^ 0xffffffff) >>> 0)) log.malformed(`The ${type} chunk at byte ${start} has a wrong CRC-32.`);
    sawImageData ||= type === 'IDAT';
    if (type === 'IEND') break;
  }
  if (!sawImageData) log.malformed('The PNG has no IDAT chunk: no image data.');
  const end = reader.position;
  log.dataAfterEnd("PNG's IEND chunk", end, reader.consumeRest());
}

function checkHeader(ihdr, log) {
  const width = u32be(ihdr, 0);
  const height = u32be(ihdr, 4);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    log.malformed(`IHDR declares ${width}×${height} pixels; PNG dimensions are 1 to 2^31-1.`);
    return false;
  }
  log.dimensions(width, height, "The PNG's IHDR");
  const [depth, colour] = [ihdr[8], ihdr[9]];
  const valid = colour === 0 ? [1, 2, 4, 8, 16].includes(depth)
    : colour === 3 ? [1, 2, 4, 8].includes(depth)
      : [2, 4, 6].includes(colour) ? [8, 16].includes(depth) : false;
  if (!valid || ihdr[10] !== 0 || ihdr[11] !== 0 || ihdr[12] > 1) {
    log.malformed(`IHDR's fields are invalid (bit depth ${depth}, colour type ${colour}, compression ${ihdr[10]}, filter ${ihdr[11]}, interlace ${ihdr[12]}).`);
  }
  return true;
}

const hex2 = (b) => b.toString(16).toUpperCase().padStart(2, '0');
const EOI = 0xd9;
const SOS = 0xda;

export async function walkJpeg(reader, log) {
  if (!(await reader.consume(2))) return log.truncated("the JPEG's SOI marker", reader.position);
  let sawFrame = false;
  while (true) {
    const at = reader.position;
    const marker = await readMarker(reader);
    if (marker === null) return log.truncated('the JPEG before its EOI marker', reader.position);
    if (marker === EOI) break;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (marker === 0xd8 || marker === 0x00) return log.malformed(marker === 0 ? `Expected a marker at byte ${at}.` : `A second SOI marker at byte ${at}.`);
    const lengthBytes = await reader.read(2);
    const length = lengthBytes ? u16be(lengthBytes, 0) : 0;
    if (!lengthBytes || length < 2) {
      if (await reader.atEnd()) return log.truncated(`the segment of marker 0xFF${hex2(marker)} at byte ${at}`, reader.position);
      return log.malformed(`The segment of marker 0xFF${hex2(marker)} at byte ${at} has length ${length}.`);
    }
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      if (!(await checkFrame(reader, log, length))) return;
      sawFrame = true;
    } else if (!(await reader.consume(length - 2))) return log.truncated(`the segment of marker 0xFF${hex2(marker)} at byte ${at}`, reader.position);
    if (marker !== SOS) continue;
    if (!sawFrame) return log.malformed(`Scan data starts at byte ${at} before any frame header (SOFn).`);
    if (!(await skipEntropyCodedData(reader))) return log.truncated('the scan data before its EOI marker', reader.position);
  }
  if (!sawFrame) log.malformed('The JPEG has no frame header (SOFn): no image.');
  const end = reader.position;
  log.dataAfterEnd("JPEG's EOI marker", end, reader.consumeRest());
}

/** 0xFF (and fill bytes) then the marker code; 0x00 when no 0xFF starts it; null at the end of the file. */
async function readMarker(reader) {
  const first = await reader.readByte();
  if (first === null) return null;
  if (first !== 0xff) return 0x00;
  let marker;
  do {
    marker = await reader.readByte();
    if (marker === null) return null;
  } while (marker === 0xff);
  return marker;
}

async function checkFrame(reader, log, length) {
  const frame = length < 8 ? null : await reader.read(6);
  if (!frame) return log.truncated('a frame header (SOFn)', reader.position), false;
  const height = u16be(frame, 1);
  const width = u16be(frame, 3);
  if (width === 0) return log.malformed("The JPEG's frame header declares a width of 0."), false;
  log.dimensions(width, height, "The JPEG's frame header");
  if (!(await reader.consume(length - 8))) return log.truncated('a frame header (SOFn)', reader.position), false;
  return true;
}

async function skipEntropyCodedData(reader) {
  while (await reader.skipUntil(0xff)) {
    const next = await reader.peek(2);
    if (next.length < 2) return false;
    if (next[1] === 0x00 || (next[1] >= 0xd0 && next[1] <= 0xd7)) await reader.consume(2);
    else if (next[1] === 0xff) await reader.consume(1);
    else return true;
  }
  return false;
}

export async function walkGif(reader, log) {
  const screen = await reader.read(13);
  if (!screen) return log.truncated("the GIF's logical screen descriptor", reader.position);
  const width = u16le(screen, 6);
  const height = u16le(screen, 8);
  log.dimensions(width, height, "The GIF's logical screen");
  if (!(await skipColourTable(reader, screen[10]))) return log.truncated('the global colour table', reader.position);
  let framePixels = 0;
  let frames = 0;
  let frameTooLarge = false;
  while (true) {
    const at = reader.position;
    const introducer = await reader.readByte();
    if (introducer === null) return log.truncated('the GIF before its trailer', reader.position);
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      if (!(await reader.consume(1)) || !(await skipSubBlocks(reader))) return log.truncated(`the extension at byte ${at}`, reader.position);
      continue;
    }
    if (introducer !== 0x2c) return log.malformed(`Byte ${at} (0x${hex2(introducer)}) starts no GIF block.`);
    const descriptor = await reader.read(9);
    if (!descriptor) return log.truncated(`the image descriptor at byte ${at}`, reader.position);
    const frameWidth = u16le(descriptor, 4);
    const frameHeight = u16le(descriptor, 6);
    frames++;
    framePixels += frameWidth * frameHeight;
    if (!frameTooLarge && (frameWidth > width || frameHeight > height)) frameTooLarge = !log.dimensions(frameWidth, frameHeight, `Frame ${frames} of the GIF`);
    const codeSize = (await skipColourTable(reader, descriptor[8])) ? await reader.readByte() : null;
    if (codeSize === null || !(await skipSubBlocks(reader))) return log.truncated(`frame ${frames} at byte ${at}`, reader.position);
    if (codeSize < 2 || codeSize > 11) return log.malformed(`Frame ${frames} declares an LZW code size of ${codeSize}.`);
  }
  if (framePixels > log.limits.maxAnimationPixels) {
    log.add('dimensions.too_large', `The GIF's ${frames} frames declare ${framePixels} pixels in all; the limit is ${log.limits.maxAnimationPixels}.`);
  }
  if (frames === 0) log.malformed('The GIF has no frame.');
  const end = reader.position;
  log.dataAfterEnd('GIF\'s trailer (0x3B)', end, reader.consumeRest());
}

const skipColourTable = (reader, packed) => ((packed & 0x80) === 0 ? true : reader.consume(3 << ((packed & 0x07) + 1)));

async function skipSubBlocks(reader) {
  while (true) {
    const size = await reader.readByte();
    if (size === null) return false;
    if (size === 0) return true;
    if (!(await reader.consume(size))) return false;
  }
}
