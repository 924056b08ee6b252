// Sending one file to a room, as docs/transfer.md describes: name it by its content id, prove that
// we hold it (a keyed hash of the whole file), then, unless the server already had those bytes,
// upload it with tus. Either way the server delivers the message, and the transfer hands it back.
// A broadcast transfer (docs/broadcast.md) goes the same way and ends with a ticket instead.

// The content id is one SHA-256 over the whole file, and WebCrypto only digests in one shot, so the
// file is read into memory once; past this size the browser is the wrong tool.
const MAX_BROWSER_BYTES = 512 * 1024 * 1024;
// Small enough that a dropped connection loses little and progress moves steadily, large enough
// that per-request overhead does not matter.
const SLICE_BYTES = 8 * 1024 * 1024;
// Waits before each retry of a failed PATCH; after the last one the upload gives up.
const RETRY_DELAYS_MS = [1000, 3000, 8000];

/**
 * @typedef {{ stage: 'hashing'|'checking'|'proving'|'uploading', sent?: number, total?: number }} SendStatus
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {File} options.file
 * @param {string} [options.roomId] the room to send to, or
 * @param {string} [options.to] the user whose direct room it goes to
 * @param {AbortSignal} options.signal cancels the send; a started upload is then deleted on the server
 * @param {(status: SendStatus) => void} options.onStatus
 * @returns {Promise<{ message: object, instant: boolean }>} the delivered message; instant when the
 *   server already had the content, so no bytes were uploaded
 */
export async function sendFile({ api, file, roomId, to, signal, onStatus }) {
  const { transfer, instant } = await transferFile({ api, file, roomId, to, signal, onStatus });
  return { message: transfer.message, instant };
}

/**
 * The transfer itself, up to its delivery: for an ordinary send it carries the message, for a
 * broadcast transfer the ticket.
 * @param {object} options as for sendFile, and:
 * @param {boolean} [options.forBroadcast] store the picture for a signed broadcast and issue a ticket
 * @param {string} [options.origin] the upload role's origin when it is not this page's server
 * @returns {Promise<{ transfer: object, instant: boolean }>}
 */
export async function transferFile({ api, file, roomId, to, signal, onStatus, forBroadcast = false, origin = '' }) {
  if (file.size > MAX_BROWSER_BYTES) {
    throw new Error(`${file.name} is larger than the 512 MiB a browser can send. Use the command line instead: parley send.`);
  }
  if (!crypto.subtle) throw new Error('Sending files needs a secure connection (https, or http on localhost).');

  onStatus({ stage: 'hashing' });
  const bytes = await file.arrayBuffer();
  const contentId = await contentIdOf(bytes);
  signal.throwIfAborted();

  onStatus({ stage: 'checking' });
  let transfer = await api.createTransfer({
    contentId, size: file.size, room: roomId, to, fileName: file.name, mediaType: file.type || 'application/octet-stream', forBroadcast,
  }, origin);
  signal.throwIfAborted();
  if (transfer.state === 'prove') {
    onStatus({ stage: 'proving' });
    transfer = await api.proveOwnership(transfer.id, await answerChallenge(bytes, transfer.challenge), origin);
  }
  // Delivered right after the proof: the server already had the content.
  const instant = transfer.state === 'delivered';
  if (transfer.state === 'upload') {
    const endpoint = new URL(transfer.upload.endpoint, origin || window.location.href).href;
    await upload(api, file, transfer.id, endpoint, signal, (sent) => onStatus({ stage: 'uploading', sent, total: file.size }));
    // The last PATCH delivered the message (or issued the ticket); the transfer now carries it.
    transfer = await api.transfer(transfer.id, origin);
  }
  if (transfer.state !== 'delivered') throw new Error(`The server did not deliver ${file.name} (${transfer.failure ?? transfer.state}).`);
  return { transfer, instant };
}

/** "sha256:" and the lower-case hex SHA-256 of the file's bytes. */
async function contentIdOf(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Proof of ownership: HMAC-SHA256 keyed with the nonce over the whole content, base64. */
async function answerChallenge(bytes, { nonce }) {
  const key = await crypto.subtle.importKey('raw', fromBase64(nonce), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes)));
}

/**
 * Uploads the whole file (the browser sends no chunk manifest, so the server asks for everything)
 * in slices. A failed slice is retried from wherever the server's copy ends, so bytes that did
 * arrive are not sent again.
 */
async function upload(api, file, transferId, endpoint, signal, onProgress) {
  onProgress(0);
  const location = await api.createUpload(endpoint, transferId, file.size, file.name);
  try {
    let offset = 0;
    let failures = 0;
    while (offset < file.size) {
      signal.throwIfAborted();
      const start = offset;
      try {
        offset = await api.patchUpload(location, start, file.slice(start, start + SLICE_BYTES), (sent) => onProgress(start + sent), signal);
        // Every accepted PATCH moves the offset on; if one did not, sending more would never end.
        if (!(offset > start)) throw new Error(`The server did not confirm receiving ${file.name}; nothing more was sent.`);
        failures = 0;
      } catch (error) {
        if (signal.aborted || !isWorthRetrying(error) || failures === RETRY_DELAYS_MS.length) throw error;
        await delay(RETRY_DELAYS_MS[failures], signal);
        failures += 1;
        const resumed = await resumeOffset(api, location);
        if (resumed === null) return;
        offset = resumed;
        onProgress(offset);
      }
    }
  } catch (error) {
    // Cancelled: delete the upload, which fails the transfer, rather than leave it to expire.
    if (signal.aborted) await api.terminateUpload(location).catch(() => {});
    throw error;
  }
}

/** A dropped connection, a server hiccup, or an offset that moved on: worth asking HEAD and going on. */
const isWorthRetrying = (error) => error.status === 0 || error.status >= 500 || error.code === 'upload.offset_mismatch';

/**
 * The server's offset, or null when the upload no longer exists: the last PATCH did arrive and the
 * transfer ended (its answer was what got lost), so the transfer itself says how it ended.
 */
async function resumeOffset(api, location) {
  try {
    return await api.uploadOffset(location);
  } catch (error) {
    if (error.code === 'upload.not_found') return null;
    throw error;
  }
}

function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

const fromBase64 = (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
const toBase64 = (bytes) => btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
