// Saving a media message's file to disk as it arrives, never whole in memory: the response body is
// streamed into a file the user picks (the File System Access API's showSaveFilePicker, which
// Chromium has). Browsers without it get the fallback: the bytes are gathered into a Blob, still
// with progress, and saved through a download link, so the file is held once in the browser's
// blob storage (docs/transfer.md, "Clients").

import { saveBlob } from './ui.js';

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {string} options.messageId the media message
 * @param {string} options.name the suggested file name
 * @param {number} options.size the media's size, for progress
 * @param {(received: number, total: number) => void} options.onProgress
 * @returns {Promise<boolean>} false when the user closed the save dialog without choosing a file
 */
export async function saveMedia({ api, messageId, name, size, onProgress }) {
  // Asked first, while the click that started this still counts as the user's gesture.
  const target = window.showSaveFilePicker ? await pickFile(name) : null;
  if (target === undefined) return false;
  const response = await api.mediaResponse(messageId);
  const total = Number(response.headers.get('Content-Length')) || size;
  const sink = target ? await target.createWritable() : blobSink(name);
  let received = 0;
  onProgress(0, total);
  try {
    const reader = response.body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      await sink.write(part.value);
      received += part.value.length;
      onProgress(received, total);
    }
  } catch (error) {
    await sink.abort();
    throw error;
  }
  if (received !== total) {
    await sink.abort();
    throw new Error(`The download of ${name} stopped after ${received} of ${total} bytes; try again.`);
  }
  await sink.close();
  return true;
}

/** The file to write to, or undefined when the user cancelled the dialog. */
async function pickFile(name) {
  try {
    return await window.showSaveFilePicker({ suggestedName: name });
  } catch (error) {
    if (error.name === 'AbortError') return undefined;
    throw error;
  }
}

/** The fallback's writable: parts gathered into one Blob, saved as a download when closed. */
function blobSink(name) {
  let parts = [];
  return {
    write: (bytes) => parts.push(bytes),
    abort: () => {
      parts = [];
    },
    close: () => saveBlob(new Blob(parts), name),
  };
}
