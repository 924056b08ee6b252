// Naming a file's content as docs/transfer.md describes, read in slices so that memory stays bounded
// whatever the file's size: its content id (one SHA-256 over every byte), its FastCDC chunk manifest
// (the same cut points as src/Parley.Core/Transfer/FastCdc.cs), and the proof of ownership (an
// HMAC-SHA256 over the challenged blocks). WebCrypto digests only in one shot, so the whole-file hashes
// are @noble/hashes' incremental ones; each chunk (at most 4 MiB) is digested by WebCrypto.

import { hmac } from '../vendor/noble-hashes/hmac.js';
import { sha256 } from '../vendor/noble-hashes/sha2.js';

// FastCDC version 1 (docs/transfer.md, "Content ids and chunks"): part of the wire protocol.
export const MIN_CHUNK = 256 * 1024;
const AVERAGE_CHUNK = 1024 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
// The masks take the top 22 bits (before the average size) and the top 18 bits (after it) of the
// 64-bit fingerprint, all of them in its upper 32-bit half.
const MASK_SMALL_HIGH = 0xfffffc00;
const MASK_LARGE_HIGH = 0xffffc000;
// How much of the file is read at a time when only hashing it (the content id, a whole-content proof).
const READ_BYTES = 8 * 1024 * 1024;
// Challenged blocks read at once: slices are read concurrently, a few at a time.
const BLOCK_READS = 64;
const DRAW_LABEL = new TextEncoder().encode('parley-proof-block');

/**
 * The gear table, as two 32-bit halves per entry (JavaScript numbers hold no 64-bit integers):
 * gear[i] = the first 8 bytes, big-endian, of SHA-256("parley-fastcdc-gear" || i).
 */
const [GEAR_HIGH, GEAR_LOW] = (() => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  const input = new Uint8Array([...new TextEncoder().encode('parley-fastcdc-gear'), 0]);
  for (let i = 0; i < 256; i++) {
    input[input.length - 1] = i;
    const digest = new DataView(sha256(input).buffer);
    high[i] = digest.getUint32(0);
    low[i] = digest.getUint32(4);
  }
  return [high, low];
})();

/**
 * Length of the chunk that starts at data[0]; data holds at least MAX_CHUNK bytes unless it is the
 * end of the content. The fingerprint is (fingerprint << 1) + gear[byte], 64-bit, wrapping.
 * @param {Uint8Array} data
 */
export function nextCut(data) {
  const n = Math.min(data.length, MAX_CHUNK);
  if (n <= MIN_CHUNK) return n;
  const normal = Math.min(n, AVERAGE_CHUNK);
  let high = 0;
  let low = 0;
  for (let i = MIN_CHUNK; i < n; i++) {
    const byte = data[i];
    const shiftedLow = (low << 1) >>> 0;
    const sumLow = shiftedLow + GEAR_LOW[byte];
    high = (((high << 1) | (low >>> 31)) + GEAR_HIGH[byte] + (sumLow > 0xffffffff ? 1 : 0)) >>> 0;
    low = sumLow >>> 0;
    if ((high & (i < normal ? MASK_SMALL_HIGH : MASK_LARGE_HIGH)) === 0) return i;
  }
  return n;
}

/**
 * @typedef {{ id: string, offset: number, length: number }} Chunk
 * @typedef {{ contentId: string, size: number, chunks: Chunk[] }} Manifest
 * @param {Blob} file
 * @param {{ signal?: AbortSignal, onProgress?: (read: number) => void }} [options]
 * @returns {Promise<Manifest>} the content id and the chunks, in order
 */
export async function scanContent(file, { signal, onProgress = () => {} } = {}) {
  const whole = sha256.create();
  const chunks = [];
  // Two maximum chunks: a cut is made only where a full maximum chunk (or the end) is visible, the
  // same cut a reader with any other buffer size makes.
  const buffer = new Uint8Array(2 * MAX_CHUNK);
  let start = 0;
  let filled = 0;
  let read = 0;
  let consumed = 0;
  while (true) {
    signal?.throwIfAborted();
    const want = Math.min(buffer.length - filled, file.size - read);
    if (want > 0) {
      buffer.set(new Uint8Array(await file.slice(read, read + want).arrayBuffer()), filled);
      filled += want;
      read += want;
    }
    const atEnd = read === file.size;
    while (filled - start >= MAX_CHUNK || (atEnd && start < filled)) {
      const length = nextCut(buffer.subarray(start, filled));
      const bytes = buffer.subarray(start, start + length);
      whole.update(bytes);
      chunks.push({ id: await contentIdOfChunk(bytes), offset: consumed, length });
      consumed += length;
      start += length;
    }
    onProgress(consumed);
    if (atEnd) break;
    buffer.copyWithin(0, start, filled);
    filled -= start;
    start = 0;
  }
  return { contentId: `sha256:${toHex(whole.digest())}`, size: file.size, chunks };
}

/**
 * The content id alone (one SHA-256 over every byte), for content no first detection reads (sealed files).
 * @param {Blob} file
 * @param {{ signal?: AbortSignal, onProgress?: (read: number) => void }} [options]
 */
export async function hashContent(file, { signal, onProgress = () => {} } = {}) {
  const whole = sha256.create();
  for (let offset = 0; offset < file.size; offset += READ_BYTES) {
    signal?.throwIfAborted();
    whole.update(new Uint8Array(await file.slice(offset, offset + READ_BYTES).arrayBuffer()));
    onProgress(Math.min(file.size, offset + READ_BYTES));
  }
  return `sha256:${toHex(whole.digest())}`;
}

/**
 * The challenged blocks, ascending (docs/transfer.md, "Proof of ownership"): every block when the content has at most
 * `blocks` of them, otherwise `blocks` draws, draw i being the first 8 bytes of SHA-256("parley-proof-block" ‖ nonce ‖
 * u32 big-endian i), big-endian, modulo the number of blocks.
 * @returns {number[]}
 */
export function challengedBlocks(size, { nonce, blockLength, blocks }) {
  const count = Math.ceil(size / blockLength);
  if (count <= blocks) return Array.from({ length: count }, (_, i) => i);
  const key = fromBase64(nonce);
  const input = new Uint8Array(DRAW_LABEL.length + key.length + 4);
  input.set(DRAW_LABEL);
  input.set(key, DRAW_LABEL.length);
  const index = new DataView(input.buffer, DRAW_LABEL.length + key.length);
  const drawn = [];
  for (let i = 0; i < blocks; i++) {
    index.setUint32(0, i);
    drawn.push(Number(new DataView(sha256(input).buffer).getBigUint64(0) % BigInt(count)));
  }
  return drawn.sort((a, b) => a - b);
}

/**
 * Proof of ownership: base64 of HMAC-SHA256 keyed with the challenge's nonce over the challenged blocks, in order;
 * only those blocks are read (the whole file when it is challenged whole).
 * @param {Blob} file
 * @param {{ nonce: string, blockLength: number, blocks: number }} challenge
 */
export async function proveHolding(file, challenge, { signal } = {}) {
  const mac = hmac.create(sha256, fromBase64(challenge.nonce));
  const { blockLength } = challenge;
  const drawn = challengedBlocks(file.size, challenge);
  if (drawn.length * blockLength >= file.size) {
    for (let offset = 0; offset < file.size; offset += READ_BYTES) {
      signal?.throwIfAborted();
      mac.update(new Uint8Array(await file.slice(offset, offset + READ_BYTES).arrayBuffer()));
    }
    return toBase64(mac.digest());
  }
  for (let at = 0; at < drawn.length; at += BLOCK_READS) {
    signal?.throwIfAborted();
    const batch = drawn.slice(at, at + BLOCK_READS);
    const read = await Promise.all(batch.map((block) => file.slice(block * blockLength, (block + 1) * blockLength).arrayBuffer()));
    for (const bytes of read) mac.update(new Uint8Array(bytes));
  }
  return toBase64(mac.digest());
}

async function contentIdOfChunk(bytes) {
  return `sha256:${toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))}`;
}

const toHex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
const fromBase64 = (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
const toBase64 = (bytes) => btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
