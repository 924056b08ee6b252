// SPAKE2 (RFC 9382, SPAKE2-P256-SHA256-HKDF-HMAC) exactly as docs/passphrase.md lays it out, so
// that this page and the .NET client (src/Parley.Core/Passphrase) agree byte for byte. WebCrypto
// has no scrypt and no elliptic-curve point arithmetic, so those two come from the audited @noble
// libraries (web/vendor); hashing, HKDF and HMAC are WebCrypto's.

import { p256 } from '../../vendor/noble-curves/nist.js';
import { scryptAsync } from '../../vendor/noble-hashes/scrypt.js';
import { concat, equalInConstantTime, field, fromHex, ProtocolError, utf8 } from './bytes.js';

const { Point } = p256;
/** The group order, RFC 9382's p; the cofactor is 1. */
const ORDER = Point.Fn.ORDER;
const SCALAR_LENGTH = 32;
export const SHARE_LENGTH = 65;
export const CONFIRMATION_LENGTH = 32;

/** M and N of RFC 9382 §6 for P-256 (SEC1 compressed). */
export const M = Point.fromBytes(fromHex('02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f'));
export const N = Point.fromBytes(fromHex('03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49'));

/** scrypt N = 2^15, r = 8, p = 1, 48 bytes: 128 bits past the order, so reducing mod the order leaves a bias below 2^-128. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, dkLen: 48 };
const SALT_LABEL = utf8('parley/passphrase/spake2-w/v1');

/** The scrypt salt: the label, then both identities as length-prefixed UTF-8. */
export const salt = (identityA, identityB) => concat(SALT_LABEL, field(utf8(identityA)), field(utf8(identityB)));

/**
 * w = scrypt(UTF-8 passphrase, salt(A, B)) mod the order, as 32 bytes big-endian, with the
 * identities it was derived for. Takes about as long as the .NET client's 0.1 s, a few times that
 * in a slow browser; scryptAsync yields to the page meanwhile.
 */
export async function deriveSecret(passphrase, identityA, identityB) {
  if (!passphrase) throw new Error('The passphrase is empty.');
  const output = await scryptAsync(utf8(passphrase), salt(identityA, identityB), SCRYPT);
  const w = toScalar(output) % ORDER;
  output.fill(0);
  return { w: scalarBytes(w), identityA, identityB };
}

/** A secret with w as given (32 bytes big-endian, below the order): only RFC 9382's vectors need this. */
export function secretFromScalar(w, identityA, identityB) {
  if (w.length !== SCALAR_LENGTH || toScalar(w) >= ORDER) throw new Error('w must be 32 bytes big-endian and below the group order.');
  return { w: Uint8Array.from(w), identityA, identityB };
}

/**
 * Starts one side ('A' the initiator, 'B' the responder) of one exchange: `share` goes to the
 * peer, and `finish(peerShare)` gives the key schedule. `scalar` (x or y, 32 bytes) is drawn at
 * random unless a test vector fixes it.
 */
export function startParty(role, secret, scalar = randomScalar()) {
  const x = toScalar(scalar);
  if (scalar.length !== SCALAR_LENGTH || x === 0n || x >= ORDER) throw new Error('The scalar must be 32 bytes big-endian in [1, order - 1].');
  const w = toScalar(secret.w);
  // pA = x·G + w·M, pB = y·G + w·N (RFC 9382 §3.3).
  const share = Point.BASE.multiply(x).add(times(role === 'A' ? M : N, w)).toBytes(false);
  let finished = false;
  return {
    role,
    share,
    /**
     * K = x·(pB − w·N) for A, y·(pA − w·M) for B; then TT and the keys. Throws ProtocolError
     * ('malformed') for a share that is not a usable P-256 point. The party is used up either way.
     */
    async finish(peerShare) {
      if (finished) throw new Error('This SPAKE2 party has already finished; start a new one for a new exchange.');
      finished = true;
      const peer = decodeShare(peerShare);
      const k = peer.subtract(times(role === 'A' ? N : M, w)).multiply(x);
      if (k.is0()) throw new ProtocolError('malformed', 'The SPAKE2 share makes the shared point the identity.');
      const [shareA, shareB] = role === 'A' ? [share, peerShare] : [peerShare, share];
      return keySchedule(role, secret, shareA, shareB, k.toBytes(false));
    },
  };
}

/**
 * RFC 9382 §4: TT = len(A)||A || len(B)||B || len(pA)||pA || len(pB)||pB || len(K)||K || len(w)||w;
 * Ke || Ka = SHA-256(TT); KcA || KcB = HKDF-SHA256(Ka, no salt, "ConfirmationKeys", 32);
 * confA = HMAC(KcA, TT), confB = HMAC(KcB, TT).
 */
async function keySchedule(role, secret, shareA, shareB, sharedPoint) {
  const transcript = concat(
    field(utf8(secret.identityA)), field(utf8(secret.identityB)),
    field(shareA), field(shareB), field(sharedPoint), field(secret.w));
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', transcript));
  const [ke, ka] = [hash.slice(0, 16), hash.slice(16)];
  const ikm = await crypto.subtle.importKey('raw', ka, 'HKDF', false, ['deriveBits']);
  const confirmationKeys = new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8('ConfirmationKeys') }, ikm, 256));
  const [kcA, kcB] = [confirmationKeys.slice(0, 16), confirmationKeys.slice(16)];
  const [confirmationA, confirmationB] = await Promise.all([hmac(kcA, transcript), hmac(kcB, transcript)]);
  const [own, expected] = role === 'A' ? [confirmationA, confirmationB] : [confirmationB, confirmationA];
  return {
    transcript, sharedPoint, ke, ka, kcA, kcB,
    /** This side's key confirmation, to send. */
    ownConfirmation: own,
    /** Checks the peer's confirmation in constant time; returns Ke, or throws ProtocolError ('mismatch'). */
    verifyPeer(confirmation) {
      if (!equalInConstantTime(confirmation, expected)) throw new ProtocolError('mismatch', 'The key confirmation does not match: a different passphrase.');
      return ke;
    },
  };
}

/** A share must be 65 bytes, SEC1 uncompressed, on the curve and not the identity. */
function decodeShare(bytes) {
  if (bytes.length !== SHARE_LENGTH || bytes[0] !== 0x04) {
    throw new ProtocolError('malformed', `A SPAKE2 share must be a ${SHARE_LENGTH}-byte SEC1 uncompressed P-256 point.`);
  }
  try {
    return Point.fromBytes(bytes); // checks the point lies on the curve and is not the identity
  } catch {
    throw new ProtocolError('malformed', 'The SPAKE2 share is not a valid P-256 group element.');
  }
}

async function hmac(key, data) {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, data));
}

/** noble refuses to multiply by 0; w is 0 with probability 2^-256, but then w·M is the identity. */
const times = (point, scalar) => (scalar === 0n ? Point.ZERO : point.multiply(scalar));

const toScalar = (bytes) => bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

function scalarBytes(value) {
  const bytes = new Uint8Array(SCALAR_LENGTH);
  for (let i = SCALAR_LENGTH - 1, rest = value; i >= 0; i--, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytes;
}

/** Rejection sampling over 32 random bytes: uniform in [1, order - 1] (a draw is rejected with probability about 2^-32). */
function randomScalar() {
  while (true) {
    const candidate = crypto.getRandomValues(new Uint8Array(SCALAR_LENGTH));
    const value = toScalar(candidate);
    if (value !== 0n && value < ORDER) return candidate;
  }
}
