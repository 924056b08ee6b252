// This browser's device key, one per user: an ECDSA P-256 pair made by WebCrypto whose private half
// is non-extractable, so script on the page can sign with it but can never read it out. IndexedDB
// stores CryptoKey objects as they are (localStorage could only hold exported bytes).

import { keyValueStore } from './key-value-store.js';

const devices = keyValueStore('parley', 'device-keys', 'userName');

/** WebCrypto exists only in secure contexts: https, or http on localhost. */
export function canHoldDeviceKeys() {
  return Boolean(globalThis.isSecureContext && globalThis.crypto?.subtle && globalThis.indexedDB);
}

/** @returns {Promise<{ userName: string, userId: string, deviceId: string, privateKey: CryptoKey, publicKey: string } | undefined>} */
export const loadDevice = (userName) => devices.get(userName);

export const saveDevice = (record) => devices.put(record);

export const forgetDevice = (userName) => devices.delete(userName);

/** @returns {Promise<{ privateKey: CryptoKey, publicKey: string }>} publicKey is base64 SPKI */
export async function createDeviceKey() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: toBase64(spki) };
}

/**
 * Signs the message that binds the key to the user; it must match DeviceKeyRules.ProofMessage on
 * the server byte for byte. WebCrypto's ECDSA signature is already the raw r||s (IEEE P1363) form
 * the server verifies.
 */
export async function signDeviceProof(privateKey, userId, publicKey) {
  const message = new TextEncoder().encode(`parley-device-v1\n${userId}\n${publicKey}`);
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, message);
  return toBase64(signature);
}

function toBase64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}
