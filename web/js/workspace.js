// The signed-in page: keeps the room list, invitations and unread counts, routes #/rooms/{id} to
// the chat view, and applies what the hub pushes. A fresh copy of the markup is made per sign-in,
// so nothing of one user's session (listeners, lists, typed text) survives into the next.

import { newClientMessageId } from './api.js';
import { createChat } from './chat.js';
import { createPassphrasePanel } from './passphrase/panel.js';
import { connectLive } from './live.js';
import { createReadState } from './read-state.js';
import { createScanner } from './scanning/scanner.js';
import { startOperatorPage } from './scanning/operator-page.js';
import { startDevicesPage } from './devices-page.js';
import { createSidebar } from './sidebar.js';
import { byId, clearProblems, showProblem } from './ui.js';

const ROOM_ROUTE = /^#\/rooms\/(.+)$/;

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {{ token: string, userId: string, userName: string }} options.session
 * @param {() => void} options.onSignOut
 * @param {() => void} options.onOwnDeviceRevoked this browser's device was revoked from its devices page, which ended the session
 * @returns {{ stop: () => void }}
 */
export function startWorkspace({ api, session, onSignOut, onOwnDeviceRevoked }) {
  const root = byId('app');
  root.replaceChildren(byId('workspace').content.cloneNode(true));
  root.hidden = false;

  const reads = createReadState(session.userId);
  const rooms = new Map(); // id → RoomDto, in the server's order (oldest first)
  const invitations = new Map(); // roomId → InvitationDto
  const roomLookups = new Map(); // roomId → pending GET, so two events for one new room fetch it once
  let currentRoomId = null;
  let stopped = false;
  let operator = null;

  const scanner = createScanner({ api, session, onRecheckFailed: recheckFailed });
  const sidebar = createSidebar({ me: session, onCreateRoom: createRoom, onMessageUser: messageUser, onJoin: join, onDecline: decline, onSignOut });
  const chat = createChat({
    api,
    me: session,
    scanner,
    onSeen: (roomId, seq) => {
      reads.markSeen(roomId, seq);
      render();
    },
    onLeft: removeRoom,
    onBack: () => navigate(null),
  });
  const passphrase = createPassphrasePanel({ api, me: session, scanner });
  const devices = startDevicesPage({ api, me: session, onOwnDeviceRevoked });
  const live = connectLive({
    token: () => session.token,
    on: { message: onMessage, invited: onInvited, memberJoined: onMemberJoined, memberLeft: onMemberLeft, broadcast: onBroadcast,
      presence: chat.presenceChanged, ...passphrase.liveHandlers,
      libraryUpdated: (event) => scanner.applyLive(event).catch(showProblem),
      mediaQuarantined: chat.mediaQuarantined, mediaReleased: chat.mediaReleased, viewCounted: chat.viewCounted },
    onStatus: liveStatusChanged,
    onResync: resync,
    // A refused token makes the API call fail with 401, which ends the session (see main.js);
    // any other failure (offline, say) is already shown by the live status.
    onConnectFailed: () => api.me().catch(() => {}),
  });
  window.addEventListener('hashchange', showRoute);
  render();
  boot();

  // Connect first, then load: whatever happens after the hub is up arrives live, and whatever
  // happened before is in what we load, so nothing falls in between.
  async function boot() {
    await live.started;
    if (stopped) return;
    try {
      await loadRooms();
    } catch (error) {
      showProblem(error);
    }
    // The session may have ended meanwhile (a revoked token): the workspace is gone then.
    if (stopped) return;
    passphrase.load().catch(showProblem);
    // The library is synced again before each share; this one makes the first share quicker.
    scanner.sync().catch(() => {});
    operator = startOperatorPage({ api });
  }

  /** A library update made a file shared earlier from this page fail the first detection. */
  function recheckFailed(share, findings) {
    showProblem({ code: 'share.recheck_failed', detail: `${share.name}, shared earlier, now fails the security check: ${findings.map((f) => `${f.detail} (${f.code})`).join(' ')}` });
  }

  async function loadRooms() {
    const list = await api.rooms();
    if (stopped) return;
    rooms.clear();
    for (const room of list.rooms) rooms.set(room.id, room);
    invitations.clear();
    for (const invitation of list.invitations) invitations.set(invitation.roomId, invitation);
    // Opens the room in the address once it is known, or closes one we are no longer a member of.
    showRoute();
    render();
  }

  /** After a reconnection: events sent while we were away are lost, so reload what they would have changed. */
  async function resync() {
    try {
      await loadRooms();
      await chat.catchUp();
      await passphrase.resync();
      // Who came and went while we were away.
      chat.refreshPresence();
    } catch (error) {
      showProblem(error);
    }
  }

  /** A room we are a member of but do not list yet (a direct conversation someone started, say). */
  async function ensureRoom(roomId) {
    if (rooms.has(roomId)) return rooms.get(roomId);
    if (!roomLookups.has(roomId)) {
      roomLookups.set(roomId, api.room(roomId)
        .then((room) => {
          if (!stopped) rooms.set(room.id, room);
          return room;
        })
        // Not a member (any more): a late event for a room just left; nothing to show.
        .catch(() => null)
        .finally(() => roomLookups.delete(roomId)));
    }
    return roomLookups.get(roomId);
  }

  async function onMessage(message) {
    const room = await ensureRoom(message.roomId);
    if (!room || stopped) return;
    room.lastSeq = Math.max(room.lastSeq, message.seq);
    // What we wrote ourselves (on another device too) is read by definition.
    if (message.senderId === session.userId) reads.markSeen(room.id, message.seq);
    if (room.id === currentRoomId) chat.receive(message);
    render();
  }

  /** A verified broadcast: its message came live too; if that event was lost, the catch-up fetches it. */
  function onBroadcast(event) {
    if (event.roomId === currentRoomId) chat.catchUp().catch(showProblem);
  }

  /**
   * Connected again: "cannot reach the server" no longer holds, and what could not be sent goes now.
   * (Catching up on what was missed is the resync's part.)
   */
  function liveStatusChanged(state) {
    sidebar.setLiveStatus(state);
    if (state !== 'connected') return;
    clearProblems('network');
    chat.online();
  }

  function onInvited(invitation) {
    if (rooms.has(invitation.roomId)) return;
    invitations.set(invitation.roomId, invitation);
    render();
  }

  async function onMemberJoined(event) {
    if (event.userId === session.userId) {
      // We joined, perhaps on another device: the invitation is used up and the room is ours.
      invitations.delete(event.roomId);
      await ensureRoom(event.roomId);
    }
    chat.memberJoined(event);
    render();
  }

  function onMemberLeft(event) {
    if (event.userId === session.userId) removeRoom(event.roomId);
    else chat.memberLeft(event);
  }

  async function createRoom(name) {
    const room = await api.createRoom(name);
    rooms.set(room.id, room);
    navigate(room.id);
  }

  async function messageUser(userName, text) {
    const message = await api.sendDirect(userName, text, newClientMessageId());
    await ensureRoom(message.roomId);
    navigate(message.roomId);
  }

  async function join(roomId) {
    const room = await api.join(roomId);
    invitations.delete(roomId);
    rooms.set(room.id, room);
    navigate(room.id);
  }

  async function decline(roomId) {
    try {
      await api.decline(roomId);
    } catch (error) {
      // Declined or used on another device meanwhile: the invitation is gone either way.
      if (error.code !== 'room.not_invited') throw error;
    }
    invitations.delete(roomId);
    render();
  }

  function removeRoom(roomId) {
    rooms.delete(roomId);
    if (roomId === currentRoomId) navigate(null);
    render();
  }

  function navigate(roomId) {
    const hash = roomId ? `#/rooms/${encodeURIComponent(roomId)}` : '#/';
    if (location.hash === hash) showRoute();
    else location.hash = hash;
  }

  /** Opens the room the address names, if it is one of ours; anything else shows no room. */
  function showRoute() {
    const match = ROOM_ROUTE.exec(location.hash);
    const room = match ? rooms.get(decodeURIComponent(match[1])) : undefined;
    const roomId = room?.id ?? null;
    if (roomId === currentRoomId) return;
    currentRoomId = roomId;
    root.classList.toggle('room-open', room !== undefined);
    if (room) chat.open(room).catch(showProblem);
    else chat.close();
    render();
  }

  function render() {
    const unread = (room) => (room.id === currentRoomId ? 0 : reads.unread(room));
    sidebar.render({ rooms: [...rooms.values()], invitations: [...invitations.values()], currentRoomId, unread });
    const total = [...rooms.values()].reduce((sum, room) => sum + unread(room), 0);
    document.title = total ? `(${total}) Parley` : 'Parley';
  }

  return {
    stop() {
      stopped = true;
      window.removeEventListener('hashchange', showRoute);
      live.stop();
      chat.stop();
      passphrase.stop();
      devices.stop();
      operator?.stop();
      root.replaceChildren();
      root.hidden = true;
      root.classList.remove('room-open');
      document.title = 'Parley';
    },
  };
}
