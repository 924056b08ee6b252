// The encrypted channel of a connected passphrase session (docs/passphrase.md items 6–8), the same
// bytes as src/Parley.Core/Passphrase/SessionKeys.cs and SecureChannel.cs: each direction has its
// own AES-256-GCM key and its own counter, so no nonce repeats, and a receiver takes only the next
// counter, so replayed, reordered or dropped frames are refused.

import { concat, ProtocolError, utf8 } from './bytes.js';

export const RANDOM_LENGTH = 32;
const COUNTER_LENGTH = 8;
export const TAG_LENGTH = 16;
export const OVERHEAD = COUNTER_LENGTH + TAG_LENGTH;
/** The relay takes frames up to 32 KiB: a message the channel seals is never refused after its counter was spent. */
export const MAX_PLAINTEXT_LENGTH = 32 * 1024 - OVERHEAD;
const DIRECTION = { A: 0x01, B: 0x02 };

export const createRandom = () => crypto.getRandomValues(new Uint8Array(RANDOM_LENGTH));

/**
 * second = HKDF-SHA256(Ke, salt = randomA || randomB, "parley/passphrase/second-key/v1", 32);
 * each direction's key = HKDF-Expand-SHA256(second, ".../a-to-b/v1" or ".../b-to-a/v1", 32).
 */
export async function deriveChannelKeys(ke, randomA, randomB) {
  const ikm = await crypto.subtle.importKey('raw', ke, 'HKDF', false, ['deriveBits']);
  const second = new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: concat(randomA, randomB), info: utf8('parley/passphrase/second-key/v1') }, ikm, 256));
  const prk = await crypto.subtle.importKey('raw', second, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  // HKDF-Expand for 32 bytes is one block: HMAC(PRK, info || 0x01). WebCrypto's HKDF always extracts first.
  const expand = async (info) => aesKey(new Uint8Array(await crypto.subtle.sign('HMAC', prk, concat(utf8(info), Uint8Array.of(1)))));
  second.fill(0);
  return { aToB: await expand('parley/passphrase/channel/a-to-b/v1'), bToA: await expand('parley/passphrase/channel/b-to-a/v1') };
}

/**
 * One side's end: frame = counter (8, big-endian) || ciphertext || tag (16); nonce = 4 zero bytes ||
 * counter; AAD = direction byte (0x01 A→B, 0x02 B→A) || UTF-8 session id.
 * @param {'A'|'B'} role
 */
export function createChannel(role, keys, sessionId) {
  const peer = role === 'A' ? 'B' : 'A';
  const [sealKey, openKey] = role === 'A' ? [keys.aToB, keys.bToA] : [keys.bToA, keys.aToB];
  const sealData = concat(Uint8Array.of(DIRECTION[role]), utf8(sessionId));
  const openData = concat(Uint8Array.of(DIRECTION[peer]), utf8(sessionId));
  let nextSend = 0;
  let nextReceive = 0;
  return {
    async seal(plaintext) {
      if (plaintext.length > MAX_PLAINTEXT_LENGTH) throw new Error(`A message may take at most ${MAX_PLAINTEXT_LENGTH} bytes once encoded; this one takes ${plaintext.length}.`);
      if (nextSend === Number.MAX_SAFE_INTEGER) throw new Error('This channel has sent all the messages its counter allows; start a new session.');
      // Taken before the first await: whatever happens next, this counter is never used again.
      const counter = nextSend++;
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(counter), additionalData: sealData, tagLength: 128 }, sealKey, plaintext);
      return concat(counterBytes(counter), new Uint8Array(sealed));
    },
    /** Opens the peer's next frame; throws ProtocolError for a short, out-of-sequence or altered one, which changes nothing. */
    async open(frame) {
      if (frame.length < OVERHEAD) throw new ProtocolError('tooShort', `A frame has at least ${OVERHEAD} bytes.`);
      const counter = Number(new DataView(frame.buffer, frame.byteOffset, COUNTER_LENGTH).getBigUint64(0));
      if (counter < nextReceive) throw new ProtocolError('replayed', `Frame ${counter} was already received.`);
      if (counter > nextReceive) throw new ProtocolError('outOfOrder', `Expected frame ${nextReceive}, got frame ${counter}.`);
      let plaintext;
      try {
        plaintext = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: nonce(counter), additionalData: openData, tagLength: 128 }, openKey, frame.subarray(COUNTER_LENGTH));
      } catch {
        throw new ProtocolError('tampered', 'The frame failed authentication: it was altered, or sealed for another session or direction.');
      }
      nextReceive = counter + 1;
      return new Uint8Array(plaintext);
    },
  };
}

const aesKey = (bytes) => crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);

export function counterBytes(counter) {
  const bytes = new Uint8Array(COUNTER_LENGTH);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(counter));
  return bytes;
}

/** 4 zero bytes || the 8-byte big-endian counter (or chunk index). */
export const nonce = (counter) => concat(new Uint8Array(4), counterBytes(counter));
