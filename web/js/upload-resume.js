// What an unfinished upload needs to go on after the page is reloaded or the browser restarts: its
// transfer and its tus address, kept in IndexedDB under the content and the target. Sending the
// same file to the same place again (picked or dropped anew) finds them and continues from the
// server's offset, as `parley send` does with its resume file (docs/transfer.md, "Clients").

import { keyValueStore } from './key-value-store.js';

const uploads = keyValueStore('parley-uploads', 'uploads', 'key');

/**
 * The same content sent to the same place through the same node, the only case where an earlier
 * transfer can be continued.
 * @param {{ origin: string, contentId: string, roomId?: string, to?: string, forBroadcast: boolean }} send
 */
export const resumeKey = ({ origin, contentId, roomId, to, forBroadcast }) =>
  JSON.stringify([origin || window.location.origin, contentId, roomId ? `room:${roomId}` : `to:${to}`, forBroadcast]);

/** @returns {Promise<{ transferId: string, uploadUrl: string } | undefined>} */
export async function findUpload(key) {
  return (await ignoringStorageFailure(() => uploads.get(key))) ?? undefined;
}

/** Remembered once the upload exists, before any byte is sent: from then on it is worth resuming. */
export const rememberUpload = (key, transferId, uploadUrl) => ignoringStorageFailure(() => uploads.put({ key, transferId, uploadUrl }));

export const forgetUpload = (key) => ignoringStorageFailure(() => uploads.delete(key));

/** Storage refused (private mode, quota): the send goes on, it just cannot be resumed after a reload. */
async function ignoringStorageFailure(operation) {
  try {
    return await operation();
  } catch {
    return undefined;
  }
}
