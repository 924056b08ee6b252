// Saving a media message's file to disk as it arrives, never whole in memory: the response body is
// streamed into a file the user picks (the File System Access API's showSaveFilePicker, which
// Chromium has), and a connection that drops is resumed with a range request. Browsers without it
// get the fallback: the bytes are gathered into a Blob, still with progress, and saved through a
// download link, so the file is held once in the browser's blob storage (docs/transfer.md, "Clients").

import { saveBlob } from './ui.js';

// Dropped connections in one download that are resumed from where they broke before it gives up.
const MAX_RESUMES = 3;

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
  const sink = target ? await target.createWritable() : blobSink(name);
  let received = 0;
  let resumes = 0;
  onProgress(0, size);
  try {
    while (received < size) {
      // After a dropped connection, only the rest is asked for (the server answers ranges).
      const response = await api.mediaResponse(messageId, { from: received });
      if (received > 0 && response.status !== 206) throw new Error(`The server could not continue the download of ${name}; try again.`);
      await readInto(response, sink, (count) => {
        received += count;
        onProgress(received, size);
      });
      if (received < size && ++resumes > MAX_RESUMES) throw new Error(`The download of ${name} stopped after ${received} of ${size} bytes; try again.`);
    }
    if (received !== size) throw new Error(`The server sent ${received} bytes for ${name}, not ${size}.`);
  } catch (error) {
    await sink.abort();
    throw error;
  }
  await sink.close();
  return true;
}

/** Writes the response's body as it arrives; a connection that drops ends it early, for the caller to resume. */
async function readInto(response, sink, onWritten) {
  const reader = response.body.getReader();
  while (true) {
    let part;
    try {
      part = await reader.read();
    } catch {
      return;
    }
    if (part.done) return;
    await sink.write(part.value);
    onWritten(part.value.length);
  }
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
