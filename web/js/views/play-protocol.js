// The play protocol of authentic view counts (docs/views.md, "Protocol") in WebCrypto, byte for byte what
// Parley.Core.Views does: the transcript and start texts, the ephemeral ECDH P-256 share (the 65-byte
// uncompressed point, base64url), the play key (HKDF-SHA256 of the raw ECDH secret, salt = SHA-256 of the
// transcript, info "parley-play-key-v1", AES-256-GCM), the 26-byte report and its 58-byte sealed envelope.
// Signatures are ECDSA-SHA256 in IEEE P1363 form (r‖s), which is what WebCrypto signs and verifies natively.

import { concat, utf8 } from '../passphrase/bytes.js';

export const REPORT_LENGTH = 26;
export const SEALED_LENGTH = 58;
export const POINT_LENGTH = 65;
const REPORT_VERSION = 1;
const NONCE_LENGTH = 12;
const HKDF_INFO = utf8('parley-play-key-v1');
const ECDH = { name: 'ECDH', namedCurve: 'P-256' };
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

/** PlayReportFlags: what a report says about the player. */
export const Flags = Object.freeze({ Playing: 1, Seeked: 2, Ended: 4 });

export const toBase64Url = (bytes) =>
  btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join('')).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Decodes base64url (no padding); throws on anything else, so a server value that is not one is never half-used. */
export function fromBase64Url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('Not base64url.');
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

/** PlayTranscript.ToBytes: what the server's view key signs and whose SHA-256 salts the play key. */
export const transcriptBytes = (started, clientShare) => utf8([
  'parley-play-v1',
  `play:${started.playId}`,
  `user:${started.userId}`,
  `device:${started.deviceId}`,
  `media:${started.media}`,
  `content:${started.contentId}`,
  `client:${clientShare}`,
  `server:${started.serverShare}`,
  `sealed-every:${started.sealedEveryMs}`,
  `plain-every:${started.plainEveryMs}`,
].join('\n'));

/** PlayTranscript.StartText: what the device key signs to start a play. */
export const startText = (media, clientShare) => utf8(`parley-play-start-v1\nmedia:${media}\nclient:${clientShare}`);

/** A fresh ephemeral share for one play: `{ privateKey, share }`, share being the base64url uncompressed point. */
export async function createShare() {
  const pair = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  return { privateKey: pair.privateKey, share: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))) };
}

/** The other side's share as a WebCrypto key; importKey checks that the point lies on P-256. */
async function importShare(share) {
  const point = fromBase64Url(share);
  if (point.length !== POINT_LENGTH || point[0] !== 0x04) throw new Error('The share is not an uncompressed P-256 point.');
  return crypto.subtle.importKey('raw', point, ECDH, false, []);
}

/**
 * The play key: AES-256-GCM from HKDF-SHA256(ikm = the shared point's X, salt = SHA-256(transcript), info, 32 bytes).
 * Not extractable unless a test vector asks to compare its bytes.
 */
export async function derivePlayKey(privateKey, otherShare, transcript, { extractable = false } = {}) {
  const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: await importShare(otherShare) }, privateKey, 256);
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const salt = await crypto.subtle.digest('SHA-256', transcript);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: HKDF_INFO }, ikm,
    { name: 'AES-GCM', length: 256 }, extractable, ['encrypt', 'decrypt']);
}

/**
 * PlayReport.WriteTo, 26 bytes big-endian: version u8, flags u8, counter u32, bytes downloaded u64, position ms u32,
 * client time ms i64.
 * @param {{ flags: number, counter: number, bytesDownloaded: number, positionMs: number, clientTimeMs: number }} report
 */
export function encodeReport({ flags, counter, bytesDownloaded, positionMs, clientTimeMs }) {
  // DataView would write undefined or a fraction as 0 without a word: a report of zeros is worse than none.
  if (![flags, counter, bytesDownloaded, positionMs, clientTimeMs].every(Number.isSafeInteger)) throw new TypeError('A report holds whole numbers only.');
  const bytes = new Uint8Array(REPORT_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, REPORT_VERSION);
  view.setUint8(1, flags);
  view.setUint32(2, counter);
  view.setBigUint64(6, BigInt(bytesDownloaded));
  view.setUint32(14, Math.min(positionMs, 0xffffffff));
  view.setBigInt64(18, BigInt(clientTimeMs));
  return bytes;
}

/** The associated data that ties an envelope to its play and counter. */
const associatedData = (playId, counter) => utf8(`parley-report-v1\n${playId}\n${counter}`);

/**
 * SealedReport: counter (u32 BE) ‖ nonce (12) ‖ AES-256-GCM ciphertext (26) ‖ tag (16). WebCrypto returns the ciphertext
 * with the tag appended, which is this layout's tail as it is.
 * @param {Uint8Array} [nonce] a chosen nonce, for test vectors only: a nonce must never repeat under one key
 */
export async function sealReport(key, playId, report, nonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH))) {
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: associatedData(playId, report.counter), tagLength: 128 },
    key, encodeReport(report));
  const counter = new Uint8Array(4);
  new DataView(counter.buffer).setUint32(0, report.counter);
  return concat(counter, nonce, new Uint8Array(sealed));
}

/** The device key's signature (P1363, base64url) over the start text. */
export async function signStart(devicePrivateKey, media, clientShare) {
  return toBase64Url(new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, devicePrivateKey, startText(media, clientShare))));
}

/** Whether the view key (SubjectPublicKeyInfo, base64url) signed the transcript; false for a malformed signature too. */
export async function verifyServerSignature(viewPublicKey, transcript, signature) {
  let key;
  let bytes;
  try {
    key = await crypto.subtle.importKey('spki', fromBase64Url(viewPublicKey), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    bytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  return bytes.length === 64 && crypto.subtle.verify(ECDSA_SHA256, key, bytes, transcript);
}

/** ViewKeyDto.KeyId: "vk_" and the first 16 hex digits of SHA-256 of the key's bytes. */
export async function viewKeyId(viewPublicKey) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', fromBase64Url(viewPublicKey)));
  return `vk_${Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
