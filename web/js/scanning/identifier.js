// The local security identifier (docs/scanning.md "Local security identifier"; LocalSecurityIdentifier.cs):
// this browser's device key signs, with ECDSA P-256 / SHA-256,
//   "parley-scan-id-v1\n" ‖ SHA-256 of the content (32) ‖ library version (u64 BE) ‖ signed at (unix ms, i64 BE)
// and the identifier's text is base64url without padding of the 113 bytes
//   0x01 ‖ digest (32) ‖ library version (u64 BE) ‖ unix ms (i64 BE) ‖ signature (64, IEEE P1363 r‖s).
// WebCrypto's ECDSA signature already is r‖s, so it goes in as it comes.

const DOMAIN = new TextEncoder().encode('parley-scan-id-v1\n');
export const ENCODED_LENGTH = 113;

function digestOf(contentId) {
  const match = /^sha256:([0-9a-f]{64})$/.exec(contentId);
  if (!match) throw new Error(`'${contentId}' is not a content id (sha256:<64 hex digits>).`);
  return Uint8Array.from(match[1].match(/../g), (pair) => parseInt(pair, 16));
}

/** The bytes the device key signs. */
export function signedBytes(contentId, libraryVersion, signedAtMs) {
  const bytes = new Uint8Array(DOMAIN.length + 32 + 16);
  bytes.set(DOMAIN);
  bytes.set(digestOf(contentId), DOMAIN.length);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(DOMAIN.length + 32, BigInt(libraryVersion));
  view.setBigInt64(DOMAIN.length + 40, BigInt(signedAtMs));
  return bytes;
}

/**
 * @param {CryptoKey} privateKey the device key (ECDSA P-256, may be non-extractable)
 * @returns {Promise<string>} the identifier's text, 151 characters
 */
export async function createIdentifier(privateKey, contentId, libraryVersion, signedAtMs = Date.now()) {
  const message = signedBytes(contentId, libraryVersion, signedAtMs);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, message));
  const bytes = new Uint8Array(ENCODED_LENGTH);
  bytes[0] = 1;
  bytes.set(message.subarray(DOMAIN.length), 1);
  bytes.set(signature, 49);
  return toBase64Url(bytes);
}

/** @returns {{ contentId: string, libraryVersion: number, signedAtMs: number, signature: Uint8Array } | null} null when not one well-formed identifier */
export function decodeIdentifier(text) {
  if (typeof text !== 'string' || text.length !== 151 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  if (bytes.length !== ENCODED_LENGTH || bytes[0] !== 1) return null;
  const view = new DataView(bytes.buffer);
  const hex = Array.from(bytes.subarray(1, 33), (b) => b.toString(16).padStart(2, '0')).join('');
  return { contentId: `sha256:${hex}`, libraryVersion: Number(view.getBigUint64(33)), signedAtMs: Number(view.getBigInt64(41)), signature: bytes.slice(49) };
}

const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
