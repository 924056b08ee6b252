// Byte helpers the passphrase modules share: the wire's padded base64, hex for test vectors,
// RFC 9382's length-prefixed fields, and a comparison whose time does not depend on where bytes differ.

export const utf8 = (text) => new TextEncoder().encode(text);

export function concat(...parts) {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** len(field) as 8 bytes little-endian, then the field (RFC 9382 §3.3; docs/passphrase.md). */
export function field(bytes) {
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(bytes.length), true);
  return concat(length, bytes);
}

/** Standard base64 with '=' padding: the only form the relay accepts. */
export const toBase64 = (bytes) => btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));

/** Decodes what the peer sent through the relay; anything but `length` bytes of base64 is refused. */
export function fromBase64(text, length) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(text ?? ''), (char) => char.charCodeAt(0));
  } catch {
    bytes = null;
  }
  if (!bytes || (length !== undefined && bytes.length !== length)) {
    throw new ProtocolError('malformed', `The relay passed on a value that is not ${length ?? 'valid'} bytes of base64.`);
  }
  return bytes;
}

export const toHex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
export const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));

export function equalInConstantTime(a, b) {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/**
 * Something the peer (or the relay) sent does not fit the protocol: a share off the curve, a wrong
 * key confirmation, a frame out of sequence or altered. `failure` names which, like the .NET
 * client's PassphraseFailure.
 */
export class ProtocolError extends Error {
  constructor(failure, message) {
    super(message);
    this.name = 'ProtocolError';
    this.failure = failure;
  }
}
