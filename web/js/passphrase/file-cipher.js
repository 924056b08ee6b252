// A file sent in a passphrase session is sealed on this device before it leaves it, the same way
// as src/Parley.Client/Passphrase/PassphraseFileCipher.cs: AES-256-GCM under a fresh key per file,
// in 64 KiB chunks, chunk i with nonce 4 zero bytes || i and AAD "parley/passphrase/file/v1" || i ||
// final flag. The final chunk is the first one shorter than 64 KiB (empty when the size is a
// multiple of it), so chunks cannot be reordered or dropped and a file cut anywhere is refused.

import { concat, ProtocolError, utf8 } from './bytes.js';
import { counterBytes, nonce, TAG_LENGTH } from './channel.js';

export const KEY_LENGTH = 32;
const CHUNK_LENGTH = 64 * 1024;
const LABEL = utf8('parley/passphrase/file/v1');

export const createFileKey = () => crypto.getRandomValues(new Uint8Array(KEY_LENGTH));

/** @returns {Promise<Blob>} the ciphertext, chunk by chunk */
export async function encryptFile(file, keyBytes) {
  const key = await importKey(keyBytes, 'encrypt');
  const parts = [];
  for (let index = 0, at = 0; ; index++, at += CHUNK_LENGTH) {
    const chunk = new Uint8Array(await file.slice(at, at + CHUNK_LENGTH).arrayBuffer());
    const final = chunk.length < CHUNK_LENGTH;
    parts.push(new Uint8Array(await crypto.subtle.encrypt(params(index, final), key, chunk)));
    if (final) return new Blob(parts);
  }
}

/**
 * Decrypts and authenticates chunk by chunk; throws ProtocolError ('tampered') for an altered,
 * moved or missing chunk, or a size other than the one the peer announced.
 * @returns {Promise<Blob>} the plaintext
 */
export async function decryptFile(ciphertext, keyBytes, expectedSize) {
  const key = await importKey(keyBytes, 'decrypt');
  const sealedLength = CHUNK_LENGTH + TAG_LENGTH;
  const parts = [];
  let size = 0;
  for (let index = 0, at = 0; ; index++, at += sealedLength) {
    const sealed = new Uint8Array(await ciphertext.slice(at, at + sealedLength).arrayBuffer());
    if (sealed.length < TAG_LENGTH) throw new ProtocolError('tampered', 'The file ends early: its final chunk is missing.');
    // A short chunk is the last one there is.
    const final = sealed.length < sealedLength;
    let chunk;
    try {
      chunk = new Uint8Array(await crypto.subtle.decrypt(params(index, final), key, sealed));
    } catch {
      throw new ProtocolError('tampered', `Chunk ${index} of the file failed authentication: it was altered, moved, cut short, or sealed under another key.`);
    }
    parts.push(chunk);
    size += chunk.length;
    if (final) break;
  }
  if (size !== expectedSize) throw new ProtocolError('tampered', `The file holds ${size} bytes, not the ${expectedSize} the peer announced.`);
  return new Blob(parts);
}

const importKey = (bytes, use) => crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, [use]);

const params = (index, final) => ({
  name: 'AES-GCM',
  iv: nonce(index),
  additionalData: concat(LABEL, counterBytes(index), Uint8Array.of(final ? 1 : 0)),
  tagLength: 128,
});
