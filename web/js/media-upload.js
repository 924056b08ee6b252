// Sending one file to a room, as docs/transfer.md describes: name it by its content id (read once, with
// the first detection), prove that we hold it (a keyed hash of the blocks the server challenges), and
// only when the server says bytes must travel cut its FastCDC chunk manifest, give it, and upload with
// tus only what the server lacks (the chunks it asks for, or everything). Either way the server
// delivers the message, and the transfer hands it back. A broadcast transfer (docs/broadcast.md)
// goes the same way and ends with a ticket instead. The file is only ever read in slices.

import { ApiError } from './api.js';
import { MIN_CHUNK, hashContent, proveHolding, scanContent } from './content-scan.js';
import { ShareBlocked } from './scanning/scanner.js';
import { formatBytes } from './ui.js';
import { findUpload, forgetUpload, rememberUpload, resumeKey } from './upload-resume.js';

// Small enough that a dropped connection loses little and progress moves steadily, large enough
// that per-request overhead does not matter.
const SLICE_BYTES = 8 * 1024 * 1024;
// Waits before each retry of a failed PATCH; after the last one the upload gives up.
const RETRY_DELAYS_MS = [1000, 3000, 8000];

/**
 * @typedef {{ stage: 'scanning'|'hashing'|'checking'|'proving'|'uploading', sent?: number, total?: number }} SendStatus
 *   sent and total: bytes of the file read so far (hashing: its content id when sealed, or the chunk
 *   manifest when the server asks for bytes) or of the upload sent (uploading)
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {File} options.file
 * @param {string} [options.roomId] the room to send to, or
 * @param {string} [options.to] the user whose direct room it goes to
 * @param {AbortSignal} options.signal cancels the send; a started upload is then deleted on the server
 * @param {(status: SendStatus) => void} options.onStatus
 * @param {ReturnType<import('./scanning/scanner.js').createScanner>} [options.scanner] the first detection;
 *   required unless sealed
 * @param {boolean} [options.sealed] a passphrase session's ciphertext (its plaintext was scanned before
 *   it was encrypted): sent with `sealed: true` and no identifier
 * @returns {Promise<{ message: object, instant: boolean }>} the delivered message; instant when the
 *   server already had the content, so no bytes were uploaded
 * @throws {ShareBlocked} the first detection refused the file (nothing left the page), or the server's
 */
export async function sendFile({ api, file, roomId, to, signal, onStatus, scanner, sealed = false }) {
  const { transfer, instant } = await transferFile({ api, file, roomId, to, signal, onStatus, scanner, sealed });
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
export async function transferFile({ api, file, roomId, to, signal, onStatus, forBroadcast = false, origin = '', scanner, sealed = false }) {
  if (!crypto.subtle) throw new Error('Sending files needs a secure connection (https, or http on localhost).');
  // Asked before reading the file: scanning gigabytes only to be refused would waste minutes.
  const limit = await api.uploadLimit(origin);
  if (limit !== null && file.size > limit) {
    throw new Error(`${file.name} is ${formatBytes(file.size)}; this server takes media up to ${formatBytes(limit)}.`);
  }

  // The first detection, before anything of the file leaves the page; it names the content in the same read.
  const scan = sealed ? null : await firstDetection(scanner, file, signal, onStatus);
  const contentId = scan?.inspection.contentId ?? await hashContent(file, { signal, onProgress: reading(onStatus, file) });
  const key = resumeKey({ origin, contentId, roomId, to, forBroadcast });

  onStatus({ stage: 'checking' });
  const earlier = await unfinishedTransfer(api, key, { contentId, size: file.size }, origin);
  // Content id first: the chunk manifest only if the proof's answer says that bytes must travel.
  const announce = (scanIdentifier) => api.createTransfer({
    contentId, size: file.size, room: roomId, to, fileName: file.name, mediaType: file.type || 'application/octet-stream', forBroadcast,
    scanIdentifier, sealed: sealed || undefined,
  }, origin);
  let transfer = earlier?.transfer;
  try {
    transfer ??= await announce(scan?.identifier);
  } catch (error) {
    // Checked against an older library than the server's: update it, check again, sign again, once.
    if (sealed || error.code !== 'share.identifier_stale') throw error;
    await scanner.sync();
    Object.assign(scan, await firstDetection(scanner, file, signal, onStatus));
    transfer = await announce(scan.identifier);
  }
  signal.throwIfAborted();
  let instant;
  try {
    ({ transfer, instant } = await deliver({ api, file, transfer, earlier, key, origin, signal, onStatus }));
  } catch (error) {
    const refusal = serverRefusal(error, file);
    // Blocked, the transfer is over: nothing is left to resume.
    if (refusal instanceof ShareBlocked) await forgetUpload(key);
    throw refusal;
  }
  // Delivered or failed, the transfer is over: a later send of the same file starts afresh.
  await forgetUpload(key);
  if (transfer.state !== 'delivered') {
    if (transfer.failure === 'share.blocked') throw new ShareBlocked(file.name, [], 'server');
    throw new Error(`The server did not deliver ${file.name} (${transfer.failure ?? transfer.state}).`);
  }
  if (scan) await scanner.remember(file, contentId, scan.identifier);
  return { transfer, instant: !earlier && instant };
}

/** Inspects the file with the local library (synced first when the server answers) and signs its identifier; throws ShareBlocked when it fails. */
async function firstDetection(scanner, file, signal, onStatus) {
  if (!scanner) throw new Error('Files are checked before they are sent, and this page has no scanner.');
  onStatus({ stage: 'scanning' });
  // Offline or refused, the copy at hand still checks the file; the server says if it is too old.
  await scanner.sync().catch(() => {});
  const inspection = await scanner.check(file, { signal });
  return { inspection, identifier: await scanner.sign(inspection) };
}

/** The server's share.blocked (from the proof or the last upload request) as a ShareBlocked with its findings. */
function serverRefusal(error, file) {
  if (!(error instanceof ApiError) || error.code !== 'share.blocked') return error;
  return new ShareBlocked(file.name, error.problem.findings ?? [], 'server', error.problem.verdictId ?? null);
}

/** Reports how much of the file a pass over it has read. */
const reading = (onStatus, file) => (read) => onStatus({ stage: 'hashing', sent: read, total: file.size });

/**
 * From the announcement's answer to the delivery: the proof, then (only when bytes must travel) the chunk manifest,
 * then the upload of what the server lacks.
 */
async function deliver({ api, file, transfer, earlier, key, origin, signal, onStatus }) {
  if (transfer.state === 'prove') {
    onStatus({ stage: 'proving' });
    transfer = await api.proveOwnership(transfer.id, await proveHolding(file, transfer.challenge, { signal }), origin);
  }
  let manifest = null;
  const cut = async () => {
    reading(onStatus, file)(0);
    manifest = await scanContent(file, { signal, onProgress: reading(onStatus, file) });
  };
  // Content no bigger than one minimum chunk is a single chunk: a manifest would tell the server nothing.
  if (transfer.state === 'upload' && transfer.upload.acceptsManifest && !earlier && file.size > MIN_CHUNK) {
    await cut();
    onStatus({ stage: 'checking' });
    transfer = await api.giveManifest(transfer.id, manifest.chunks.map(({ id, length }) => ({ id, length })), origin);
  }
  // Delivered right after the proof (or the manifest): the server already had the content (or every chunk of it).
  const instant = transfer.state === 'delivered';
  if (transfer.state === 'upload') {
    // A resumed upload of chunks reads them where the manifest says.
    if (transfer.upload.missingChunks && !manifest) await cut();
    const body = uploadBody(file, manifest, transfer.upload);
    const target = earlier?.upload ?? {
      endpoint: new URL(transfer.upload.endpoint, origin || window.location.href).href,
      onCreated: (location) => rememberUpload(key, transfer.id, location),
    };
    try {
      await upload(api, body, file.name, transfer.id, target, signal, (sent) => onStatus({ stage: 'uploading', sent, total: body.length }));
    } catch (error) {
      // Cancelled: the upload is deleted, nothing is left to resume. Otherwise a later send of the file goes on from here.
      if (signal.aborted) await forgetUpload(key);
      throw error;
    }
    // The last PATCH delivered the message (or issued the ticket); the transfer now carries it.
    transfer = await api.transfer(transfer.id, origin);
  }
  return { transfer, instant };
}

/**
 * The bytes the server's upload plan asks for, as parts of the file: the missing chunks in manifest
 * order, or the whole file when the plan names none. Upload offset N is the N-th byte of them.
 * @returns {{ length: number, slice: (start: number, end: number) => Blob }}
 */
function uploadBody(file, manifest, plan) {
  const runs = plan.missingChunks ? plan.missingChunks.map((index) => manifest?.chunks[index]) : [{ offset: 0, length: file.size }];
  const length = runs.reduce((total, run) => total + (run?.length ?? NaN), 0);
  if (length !== plan.length) {
    throw new Error(`The server asked for parts of ${file.name} that this page did not find in it; nothing was sent.`);
  }
  return {
    length,
    /** A Blob of upload bytes [start, end): slices of the file, read only as they are sent. */
    slice(start, end) {
      const parts = [];
      let runStart = 0;
      for (const run of runs) {
        const from = Math.max(start, runStart);
        const to = Math.min(end, runStart + run.length);
        if (from < to) parts.push(file.slice(run.offset + from - runStart, run.offset + to - runStart));
        runStart += run.length;
      }
      return new Blob(parts);
    },
  };
}

/**
 * The transfer an earlier send of this content to this target left unfinished (the page was
 * reloaded, the connection gave out), with where its upload stands; null when there is none to
 * continue, and then it is forgotten.
 * @returns {Promise<{ transfer: object, upload?: { location: string, offset: number } } | null>}
 */
async function unfinishedTransfer(api, key, content, origin) {
  const entry = await findUpload(key);
  if (!entry) return null;
  try {
    const transfer = await api.transfer(entry.transferId, origin);
    if (transfer.contentId === content.contentId && transfer.size === content.size) {
      // Delivered already: the earlier send finished but the page went before it could say so.
      if (transfer.state === 'delivered') return { transfer };
      const offset = transfer.state === 'upload' ? await resumeOffset(api, entry.uploadUrl) : null;
      if (offset !== null) return { transfer, upload: { location: entry.uploadUrl, offset } };
    }
  } catch (error) {
    // Expired and collected, or another account's: nothing to continue.
    if (error.code !== 'transfer.not_found') throw error;
  }
  await forgetUpload(key);
  return null;
}

/**
 * Uploads the body in slices, into a new upload or from where an earlier one stands. A failed slice
 * is retried from wherever the server's copy ends, so bytes that did arrive are not sent again.
 * @param {{ location: string, offset: number } | { endpoint: string, onCreated: (location: string) => Promise<void> }} target
 */
async function upload(api, body, fileName, transferId, target, signal, onProgress) {
  let { location, offset = 0 } = target;
  if (!location) {
    location = await api.createUpload(target.endpoint, transferId, body.length, fileName);
    await target.onCreated(location);
  }
  onProgress(offset);
  try {
    let failures = 0;
    while (offset < body.length) {
      signal.throwIfAborted();
      const start = offset;
      try {
        offset = await api.patchUpload(location, start, body.slice(start, start + SLICE_BYTES), (sent) => onProgress(start + sent), signal);
        // Every accepted PATCH moves the offset on; if one did not, sending more would never end.
        if (!(offset > start)) throw new Error(`The server did not confirm receiving ${fileName}; nothing more was sent.`);
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

/** A dropped connection, a server hiccup, an offset that moved on, or a PATCH the server still holds (a reloaded page's): worth asking HEAD and going on. */
const isWorthRetrying = (error) => error.status === 0 || error.status >= 500 || ['upload.offset_mismatch', 'upload.locked'].includes(error.code);

/**
 * The server's offset, or null when the upload no longer exists: the last PATCH did arrive and the
 * transfer ended (its answer was what got lost), so the transfer itself says how it ended.
 */
async function resumeOffset(api, location) {
  try {
    return await api.uploadOffset(location);
  } catch (error) {
    // A HEAD answer has no body to carry a problem code: its 404 says the upload is gone.
    if (error.status === 404) return null;
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
