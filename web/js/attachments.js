// Sending files from the composer: the attach button, dropping files on the open room, pasting
// them into the message box, and the tray above the composer that shows each send as it goes.
// Files go out one at a time, in the order they were given: each is read in full to hash it, and
// several at once would only share the disk and the connection, finishing none of them sooner.

import { sendFile } from './media-upload.js';
import { refusalNotice } from './scanning/refusal-view.js';
import { ShareBlocked } from './scanning/scanner.js';
import { byId, formatBytes, formatDuration, h, icon, ICONS, showProblem } from './ui.js';

// How long "sent instantly" stays in the tray: long enough to be read, then it tidies itself away.
const NOTICE_MS = 6000;
// The transfer rate is measured over this much recent time, so the estimate follows the network.
const RATE_WINDOW_MS = 4000;

const STAGE_LABELS = {
  waiting: 'Waiting…',
  scanning: 'Checking the file for security…',
  hashing: 'Reading the file…',
  checking: 'Checking the server…',
  proving: 'Proving we hold the file…',
};

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {ReturnType<import('./scanning/scanner.js').createScanner>} options.scanner the first detection
 * @param {(message: object) => void} options.onDelivered a file's message, as the server delivered it
 */
export function createAttachments({ api, scanner, onDelivered }) {
  const el = {
    room: byId('chat-room'),
    input: byId('message-input'),
    attach: byId('attach'),
    picker: byId('attach-input'),
    tray: byId('uploads'),
    dropZone: byId('drop-zone'),
    dropTarget: byId('drop-target'),
  };
  let room = null; // the open room
  const sends = new Set();
  let queue = Promise.resolve();

  function send(files) {
    if (!room) return;
    for (const file of files) {
      const job = { file, room, controller: new AbortController(), card: null };
      job.card = card(job);
      sends.add(job);
      el.tray.append(job.card.element);
      queue = queue.then(() => run(job));
    }
    showTray();
  }

  async function run(job) {
    const { signal } = job.controller;
    if (signal.aborted) return;
    try {
      const { message, instant } = await sendFile({ api, file: job.file, roomId: job.room.id, signal, onStatus: job.card.update, scanner });
      onDelivered(message);
      if (instant) {
        job.card.sentInstantly();
        setTimeout(() => finish(job), NOTICE_MS);
      } else {
        finish(job);
      }
    } catch (error) {
      // A refused file stays in the tray with its reasons until dismissed: nothing of it left the page.
      if (error instanceof ShareBlocked && !signal.aborted) return job.card.blocked(error);
      finish(job);
      if (!signal.aborted) showProblem(error);
    }
  }

  function cancel(job) {
    job.controller.abort();
    finish(job);
  }

  function finish(job) {
    sends.delete(job);
    job.card.element.remove();
    showTray();
  }

  /** Shows the sends to the open room; the others go on out of sight. */
  function showTray() {
    for (const job of sends) job.card.element.hidden = job.room.id !== room?.id;
    el.tray.hidden = ![...sends].some((job) => job.room.id === room?.id);
  }

  /** One send's row in the tray: what it is doing, and while uploading, how far along it is. */
  function card(job) {
    const { file } = job;
    const status = h('span', { class: 'upload-status', testid: 'upload-status' }, STAGE_LABELS.waiting);
    const progress = h('progress', { class: 'upload-progress', max: file.size || 1, value: 0, 'aria-label': `Sending ${file.name}`, hidden: true, testid: 'upload-progress' });
    const dismiss = h('button', { type: 'button', class: 'icon upload-cancel', 'aria-label': `Cancel sending ${file.name}`, title: 'Cancel', testid: 'upload-cancel' },
      icon(...ICONS.close));
    const badge = h('span', { class: 'upload-badge', 'aria-hidden': 'true' }, icon(...ICONS.upload));
    const element = h('li', { class: 'upload', 'data-stage': 'waiting', testid: 'upload' },
      badge,
      h('div', { class: 'upload-body' },
        h('div', { class: 'upload-line' },
          h('span', { class: 'upload-name', title: file.name, testid: 'upload-name' }, file.name),
          h('span', { class: 'upload-size' }, formatBytes(file.size))),
        status,
        progress),
      dismiss);
    dismiss.addEventListener('click', () => cancel(job));
    const rate = createRateMeter();

    return {
      element,
      /** @param {import('./media-upload.js').SendStatus} update */
      update({ stage, sent = 0, total = 0 }) {
        element.dataset.stage = stage;
        progress.hidden = stage !== 'uploading';
        // A large file takes a while to read: how far it got says that it is moving.
        if (stage === 'hashing' && total > 0) {
          status.textContent = `${STAGE_LABELS.hashing} ${Math.floor((sent / total) * 100)}%`;
          return;
        }
        if (stage !== 'uploading') {
          status.textContent = STAGE_LABELS[stage];
          return;
        }
        progress.value = sent;
        rate.add(sent);
        status.textContent = sent >= total ? 'Uploaded; the server is verifying it…' : uploadLine(sent, total, rate.bytesPerSecond());
      },
      /** @param {ShareBlocked} blocked */
      blocked(blocked) {
        element.dataset.stage = 'blocked';
        progress.hidden = true;
        status.replaceChildren(refusalNotice(blocked));
        badge.replaceChildren(icon(...ICONS.close));
        dismiss.setAttribute('aria-label', `Dismiss: ${file.name} was not sent`);
        dismiss.title = 'Dismiss';
      },
      sentInstantly() {
        element.dataset.stage = 'instant';
        progress.hidden = true;
        status.textContent = 'Sent instantly (already on the server)';
        badge.replaceChildren(icon(...ICONS.check));
        dismiss.setAttribute('aria-label', 'Dismiss');
        dismiss.title = 'Dismiss';
      },
    };
  }

  const hasFiles = (event) => event.dataTransfer?.types.includes('Files');

  function dragOver(event) {
    if (!hasFiles(event) || !room) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    el.dropTarget.textContent = room.kind === 'group' ? `#${room.name}` : room.name;
    el.dropZone.hidden = false;
  }

  function dragLeave(event) {
    if (!el.room.contains(event.relatedTarget)) el.dropZone.hidden = true;
  }

  function drop(event) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    el.dropZone.hidden = true;
    send(event.dataTransfer.files);
  }

  // A file dropped anywhere else would make the browser leave the page to open it.
  function refuseStrayDrop(event) {
    if (!hasFiles(event) || event.defaultPrevented) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'none';
  }

  el.attach.addEventListener('click', () => el.picker.click());
  el.picker.addEventListener('change', () => {
    send(el.picker.files);
    // Cleared, so picking the same file again is a change too.
    el.picker.value = '';
  });
  el.input.addEventListener('paste', (event) => {
    if (event.clipboardData.files.length === 0) return;
    event.preventDefault();
    send(event.clipboardData.files);
  });
  el.room.addEventListener('dragenter', dragOver);
  el.room.addEventListener('dragover', dragOver);
  el.room.addEventListener('dragleave', dragLeave);
  el.room.addEventListener('drop', drop);
  window.addEventListener('dragover', refuseStrayDrop);
  window.addEventListener('drop', refuseStrayDrop);

  return {
    /** @param {object|null} opened the room now open, or null */
    open(opened) {
      room = opened;
      el.dropZone.hidden = true;
      showTray();
    },
    /** Signing out: whatever is still under way is cancelled (and its upload deleted). */
    stop() {
      for (const job of sends) job.controller.abort();
      window.removeEventListener('dragover', refuseStrayDrop);
      window.removeEventListener('drop', refuseStrayDrop);
    },
  };
}

function uploadLine(sent, total, bytesPerSecond) {
  const parts = [`${Math.floor((sent / total) * 100)}%`];
  if (bytesPerSecond > 0) parts.push(`${formatBytes(bytesPerSecond)}/s`, `${formatDuration((total - sent) / bytesPerSecond)} left`);
  return parts.join(' · ');
}

/** Bytes per second over the last few seconds of progress reports. */
function createRateMeter() {
  const samples = []; // [time ms, bytes sent]
  return {
    add(bytes) {
      const now = performance.now();
      samples.push([now, bytes]);
      while (samples.length > 2 && now - samples[0][0] > RATE_WINDOW_MS) samples.shift();
    },
    bytesPerSecond() {
      if (samples.length < 2) return 0;
      const [[startTime, startBytes], [endTime, endBytes]] = [samples[0], samples.at(-1)];
      // Under half a second of data says more about buffering than about the network.
      return endTime - startTime < 500 ? 0 : ((endBytes - startBytes) * 1000) / (endTime - startTime);
    },
  };
}
