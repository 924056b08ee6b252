// Signed picture broadcast from the page (docs/broadcast.md): the picture goes to the upload role as
// a broadcast transfer, which answers with a single-use ticket; the ticket goes to the broadcast
// role, which checks it before the other members see the picture. Each half goes to the node that
// plays its role, as GET /api/discovery names them when the roles run apart. How it went, refusals
// included (the server's code and detail), is shown in place, above the composer.

import { transferFile } from './media-upload.js';
import { refusalNotice } from './scanning/refusal-view.js';
import { ShareBlocked } from './scanning/scanner.js';
import { byId, describe, h } from './ui.js';

// How long "broadcast to N members" stays: long enough to be read, then it tidies itself away.
const NOTICE_MS = 6000;

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {ReturnType<import('./scanning/scanner.js').createScanner>} options.scanner the first detection
 * @param {(roomId: string) => void} options.onSent a picture was broadcast to the room
 */
export function createBroadcast({ api, scanner, onSent }) {
  const el = { button: byId('broadcast'), picker: byId('broadcast-input'), status: byId('broadcast-status') };
  let room = null; // the open room
  let busy = false;
  let origins = null; // a promise of { upload, broadcast }, asked once per sign-in
  let noticeTimer;
  const controller = new AbortController();

  function roleOrigins() {
    origins ??= api.discovery().then(fromDiscovery).catch((error) => {
      origins = null;
      throw error;
    });
    return origins;
  }

  async function broadcast(file) {
    const target = room;
    if (!target || busy) return;
    busy = true;
    el.button.disabled = true;
    show('sending', `Storing ${file.name} for a broadcast…`);
    try {
      const { upload, broadcast: broadcaster } = await roleOrigins();
      const { signal } = controller;
      const { transfer } = await transferFile({ api, file, roomId: target.id, signal, onStatus: () => {}, forBroadcast: true, origin: upload, scanner });
      show('sending', `Broadcasting ${file.name}…`);
      const { reached } = await api.broadcast(target.id, transfer.ticket, broadcaster);
      show('sent', `Broadcast ${file.name} to ${reached} other ${reached === 1 ? 'member' : 'members'}.`);
      noticeTimer = setTimeout(hide, NOTICE_MS);
      onSent(target.id);
    } catch (error) {
      if (!controller.signal.aborted) refused(file, error);
    } finally {
      busy = false;
      el.button.disabled = false;
    }
  }

  function show(state, text) {
    clearTimeout(noticeTimer);
    el.status.dataset.state = state;
    el.status.setAttribute('role', 'status');
    el.status.replaceChildren(h('span', { testid: 'broadcast-detail' }, text));
    el.status.hidden = false;
  }

  /** The server's reason, with its stable code, stays until dismissed or the next broadcast. */
  function refused(file, error) {
    show('refused', `${file.name} was not broadcast: ${describe(error)}`);
    el.status.setAttribute('role', 'alert');
    // A scan's refusal lists its reasons, each with its code; another refusal has one code.
    if (error instanceof ShareBlocked) el.status.replaceChildren(refusalNotice(error));
    else if (error.code) el.status.append(h('code', { class: 'broadcast-code', testid: 'broadcast-code' }, error.code));
    el.status.append(h('button', { type: 'button', class: 'icon', 'aria-label': 'Dismiss', testid: 'broadcast-dismiss', onclick: hide }, '×'));
  }

  function hide() {
    clearTimeout(noticeTimer);
    el.status.hidden = true;
    el.status.replaceChildren();
  }

  el.button.addEventListener('click', () => el.picker.click());
  el.picker.addEventListener('change', () => {
    const [file] = el.picker.files;
    // Cleared, so picking the same picture again is a change too.
    el.picker.value = '';
    if (file) broadcast(file);
  });

  return {
    /** @param {object|null} opened the room now open, or null; what was said about another room goes */
    open(opened) {
      room = opened;
      if (!busy) hide();
    },
    stop() {
      controller.abort();
      clearTimeout(noticeTimer);
    },
  };
}

/** Each role's origin: '' for this page's server, else the address discovery names for the node that plays it. */
function fromDiscovery(discovery) {
  return {
    upload: roleOrigin(discovery, 'upload', discovery.uploadUrl),
    broadcast: roleOrigin(discovery, 'broadcast', discovery.broadcastUrl),
  };
}

/**
 * A server that neither plays the role nor names a usable address is asked anyway: its refusal
 * (broadcast.wrong_role) says what is wrong better than a guess here would.
 */
function roleOrigin(discovery, role, named) {
  if (discovery.roles.includes(role) || !named) return '';
  try {
    const url = new URL(named);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href.replace(/\/+$/, '') : '';
  } catch {
    return '';
  }
}
