// The open room: its messages (newest page first, older on demand, live ones as they come), the
// send box (files: attachments.js), and for group rooms the member list with invite and leave.

import { newClientMessageId } from './api.js';
import { createAttachments } from './attachments.js';
import { createBroadcast } from './broadcast.js';
import { createMediaView } from './media-view.js';
import { createMessageActions } from './message-actions.js';
import { createNewMessagesControl } from './new-messages.js';
import { createTimeline } from './timeline.js';
import { avatar, byId, guard, h, showProblem, whileBusy } from './ui.js';

const PAGE_SIZE = 50;
const CATCH_UP_PAGE_SIZE = 200;
// Wide enough to show the member list beside the messages without squeezing them.
const ROOMY_LAYOUT = window.matchMedia('(min-width: 1100px)');

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {{ userId: string }} options.me
 * @param {ReturnType<import('./scanning/scanner.js').createScanner>} options.scanner the first detection, for every file sent
 * @param {(roomId: string, seq: number) => void} options.onSeen the user has seen the room up to seq
 * @param {(roomId: string) => void} options.onLeft the user left the room here
 * @param {() => void} options.onBack the user asked for the room list (narrow layout)
 */
export function createChat({ api, me, scanner, onSeen, onLeft, onBack }) {
  const el = {
    empty: byId('chat-empty'),
    room: byId('chat-room'),
    back: byId('back-to-rooms'),
    title: byId('room-title'),
    kind: byId('room-kind'),
    membersToggle: byId('members-toggle'),
    membersCount: byId('members-count'),
    leave: byId('leave-room'),
    body: byId('chat-body'),
    pane: byId('messages-pane'),
    loadOlder: byId('load-older'),
    members: byId('members'),
    inviteForm: byId('invite-form'),
    inviteStatus: byId('invite-status'),
    composer: byId('composer'),
    input: byId('message-input'),
    waiting: byId('outbox-status'),
    newMessages: byId('new-messages'),
  };
  const media = createMediaView({ api, scroller: el.pane, lightbox: byId('lightbox'), me });
  const actions = createMessageActions({
    api, list: byId('messages'), messageOf: (messageId) => timeline.message(messageId), onChanged: receive, input: el.input,
  });
  const timeline = createTimeline(byId('messages'), el.pane, me, media, actions);
  const newMessages = createNewMessagesControl({ button: el.newMessages, scroller: el.pane, timeline });
  const attachments = createAttachments({ api, scanner, onDelivered: receive });
  // The broadcast's message comes live like any other; a catch-up also finds it if the live channel is down.
  const broadcasts = createBroadcast({ api, scanner, onSent: () => catchUp().catch(showProblem) });

  // The open room and what is under way for it. Replaced, never reused, when another room opens, so
  // an answer that arrives for a room no longer shown is recognised (view !== current) and dropped.
  let view = null;
  // Messages go out one at a time, in the order they were typed; the box is emptied at once so the
  // next one can be typed meanwhile.
  let outbox = Promise.resolve();
  let sendsUnderWay = 0;
  // The text and id of a send that failed: retrying the same text reuses the id, so if the first
  // attempt did reach the server the message is not posted twice.
  let failedSend = null;
  // Sends that could not reach the server, in the order they were typed: they go again, with the
  // same ids, when the connection is back (online()), so each is posted exactly once.
  const waiting = [];

  const seen = () => onSeen(view.room.id, timeline.newestSeq);

  async function open(room) {
    const current = {
      room, loading: false, loaded: false, pending: [], catchUp: null, catchUpAgain: false, members: null, membersChanged: false,
    };
    view = current;
    const group = room.kind === 'group';
    el.empty.hidden = true;
    el.room.hidden = false;
    el.kind.textContent = group ? '#' : '@';
    el.title.textContent = room.name;
    el.input.placeholder = group ? `Message #${room.name}` : `Message ${room.name}`;
    el.membersToggle.hidden = !group;
    el.leave.hidden = !group;
    showMembers(group && ROOMY_LAYOUT.matches);
    el.members.replaceChildren();
    el.membersCount.textContent = '';
    el.inviteStatus.textContent = '';
    el.loadOlder.hidden = true;
    resetLeave();
    actions.cancelReply();
    timeline.clear();
    newMessages.hide();
    attachments.open(room);
    broadcasts.open(room);
    showWaiting();
    if (window.matchMedia('(pointer: fine)').matches) el.input.focus();
    await load(current);
  }

  /** The newest page, and the members of a group room: what opening a room shows first. */
  async function load(current) {
    current.loading = true;
    try {
      const [page] = await Promise.all([
        api.history(current.room.id, { limit: PAGE_SIZE }),
        current.room.kind === 'group' ? loadMembers(current) : null,
      ]);
      if (view !== current) return;
      timeline.add(page.messages);
      timeline.scrollToBottom();
      el.loadOlder.hidden = !page.hasMore;
      current.loaded = true;
      // Live messages that came while the first page was on its way.
      current.pending.splice(0).forEach(receive);
      seen();
    } finally {
      current.loading = false;
    }
  }

  function close() {
    view = null;
    timeline.clear();
    attachments.open(null);
    broadcasts.open(null);
    el.room.hidden = true;
    el.empty.hidden = false;
  }

  /** A message for the open room, from the hub or from our own send. */
  function receive(message) {
    const current = view;
    if (current?.room.id !== message.roomId) return;
    if (!current.loaded) {
      current.pending.push(message);
    } else if (message.seq > timeline.newestSeq + 1) {
      // Sequence numbers have no gaps: some messages before this one never reached us.
      catchUp().catch(showProblem);
    } else {
      if (timeline.add([message])) newMessages.show();
      seen();
    }
  }

  /**
   * Fetches everything after the newest message shown; overlapping calls share one run. If the room
   * never loaded (it was opened while offline, say), this is the retry of that first load.
   */
  async function catchUp() {
    const current = view;
    if (!current || current.loading) return;
    if (!current.loaded) {
      await load(current);
      return;
    }
    if (current.catchUp) {
      current.catchUpAgain = true;
      return;
    }
    current.catchUp = (async () => {
      do {
        current.catchUpAgain = false;
        let page;
        do {
          page = await api.history(current.room.id, { after: timeline.newestSeq, limit: CATCH_UP_PAGE_SIZE });
          if (view !== current) return;
          if (timeline.add(page.messages)) newMessages.show();
        } while (page.hasMore);
      } while (current.catchUpAgain);
      seen();
    })();
    try {
      await current.catchUp;
    } finally {
      current.catchUp = null;
    }
  }

  async function loadOlder() {
    const current = view;
    el.loadOlder.disabled = true;
    try {
      const page = await api.history(current.room.id, { before: timeline.oldestSeq, limit: PAGE_SIZE });
      if (view !== current) return;
      timeline.add(page.messages);
      el.loadOlder.hidden = !page.hasMore;
    } finally {
      el.loadOlder.disabled = false;
    }
  }

  function send() {
    const current = view;
    const text = el.input.value;
    if (!current || text.trim() === '') return;
    const clientMessageId = failedSend?.text === text ? failedSend.clientMessageId : newClientMessageId();
    const { replyToId } = actions;
    el.input.value = '';
    fitInput();
    actions.cancelReply();
    enqueue({ current, text, clientMessageId, replyToId });
  }

  function enqueue(send) {
    outbox = outbox.then(() => post(send));
  }

  async function post(send) {
    const { current, text, clientMessageId, replyToId } = send;
    // Behind a send that is waiting for the connection: wait too, or the order would change.
    if (waiting.length > 0) {
      wait(send);
      return;
    }
    el.composer.dataset.sending = String(++sendsUnderWay);
    try {
      receive(await api.send(current.room.id, text, clientMessageId, replyToId ?? undefined));
      if (failedSend?.clientMessageId === clientMessageId) failedSend = null;
    } catch (error) {
      if (error.code === 'network') {
        wait(send);
        return;
      }
      // Nothing typed is lost: the text goes back in the box, ahead of anything typed since.
      failedSend = { text, clientMessageId };
      if (view === current) {
        el.input.value = el.input.value ? `${text}\n${el.input.value}` : text;
        fitInput();
      }
      showProblem(error);
    } finally {
      if (--sendsUnderWay === 0) delete el.composer.dataset.sending;
    }
  }

  function wait(send) {
    waiting.push(send);
    showWaiting();
  }

  /** The connection is back: what was waiting goes out, in order. */
  function online() {
    const again = waiting.splice(0);
    showWaiting();
    again.forEach(enqueue);
  }

  function showWaiting() {
    const here = waiting.filter((send) => send.current.room.id === view?.room.id);
    el.waiting.hidden = here.length === 0;
    el.waiting.replaceChildren(
      h('span', {}, here.length === 1 ? 'Not sent yet, waiting for the connection:' : `${here.length} messages not sent yet, waiting for the connection:`),
      ...here.map((send) => h('q', { class: 'waiting-text', testid: 'waiting-text' }, send.text)));
  }

  async function loadMembers(current) {
    let members;
    do {
      current.membersChanged = false;
      members = await api.members(current.room.id);
      if (view !== current) return;
      // A join or leave announced while the list was on its way may be missing from it: ask again.
    } while (current.membersChanged);
    current.members = new Map(members.map((member) => [member.userId, member]));
    renderMembers();
  }

  function memberChanged(event, change) {
    const current = view;
    if (current?.room.id !== event.roomId) return;
    if (!current.members) {
      current.membersChanged = true;
      return;
    }
    change(current.members);
    renderMembers();
  }

  function renderMembers() {
    const members = [...view.members.values()];
    el.membersCount.textContent = String(members.length);
    el.members.replaceChildren(...members.map((member) =>
      h('li', { class: 'member', testid: 'member' },
        avatar(member.userName),
        h('span', { class: 'member-name' }, member.userName),
        member.userId === me.userId ? h('span', { class: 'muted' }, 'you') : null,
        h('span', { class: 'presence', testid: 'member-presence', 'data-online': String(member.online) }, member.online ? 'online' : 'offline'))));
  }

  /** Someone's live connections changed: the event is a hint, so ask the server who is online now. */
  function refreshPresence(event) {
    const current = view;
    if (current?.room.kind !== 'group') return;
    if (!current.members) {
      current.membersChanged = true;
      return;
    }
    if (event && !current.members.has(event.userId)) return;
    loadMembers(current).catch(showProblem);
  }

  function showMembers(visible) {
    el.body.dataset.members = visible ? 'open' : 'closed';
    el.membersToggle.setAttribute('aria-expanded', String(visible));
  }

  function resetLeave() {
    delete el.leave.dataset.confirm;
    el.leave.textContent = 'Leave';
  }

  // Leaving takes a second click, so a stray click does not drop the user out of a room they can
  // only come back to by invitation. (A confirm() dialog would block the page and the tests.)
  async function leave() {
    if (el.leave.dataset.confirm !== 'armed') {
      el.leave.dataset.confirm = 'armed';
      el.leave.textContent = 'Click again to leave';
      return;
    }
    const roomId = view.room.id;
    resetLeave();
    await api.leave(roomId);
    onLeft(roomId);
  }

  async function invite(event) {
    event.preventDefault();
    const input = el.inviteForm.elements.userName;
    const userName = input.value.trim();
    if (!userName) return;
    const current = view;
    el.inviteStatus.textContent = '';
    await whileBusy(el.inviteForm, () => api.invite(current.room.id, userName));
    if (view !== current) return;
    el.inviteForm.reset();
    el.inviteStatus.textContent = `Invited ${userName}.`;
    input.focus();
  }

  function fitInput() {
    el.input.style.height = 'auto';
    el.input.style.height = `${el.input.scrollHeight}px`;
  }

  el.back.addEventListener('click', onBack);
  el.loadOlder.addEventListener('click', guard(loadOlder));
  el.leave.addEventListener('click', guard(leave));
  el.leave.addEventListener('blur', resetLeave);
  el.inviteForm.addEventListener('submit', guard(invite));
  el.membersToggle.addEventListener('click', () => showMembers(el.body.dataset.members !== 'open'));
  // Beside the messages when there is room, folded away (an overlay on demand) when there is not.
  const fitMembersToLayout = () => showMembers(view?.room.kind === 'group' && ROOMY_LAYOUT.matches);
  ROOMY_LAYOUT.addEventListener('change', fitMembersToLayout);
  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  el.input.addEventListener('input', fitInput);
  el.input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter makes a new line; Enter that ends an IME composition does neither.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    el.composer.requestSubmit();
  });

  return {
    open,
    close,
    receive,
    catchUp,
    online,
    memberJoined: (event) => {
      memberChanged(event, (members) => members.set(event.userId, event));
      // The event does not say whether the newcomer is online; the members list does.
      refreshPresence(event);
    },
    memberLeft: (event) => memberChanged(event, (members) => members.delete(event.userId)),
    presenceChanged: refreshPresence,
    /** Live mediaQuarantined {contentId, roomId, messageIds, reasons}: a notice replaces the media. */
    mediaQuarantined: (event) => {
      if (event.roomId === view?.room.id) timeline.setQuarantined(event.messageIds, true, event.reasons);
    },
    /** Live mediaReleased {contentId, roomId, messageIds}: the media is shown again. */
    mediaReleased: (event) => {
      if (event.roomId === view?.room.id) timeline.setQuarantined(event.messageIds, false);
    },
    /** Live viewCounted {roomId, media, views}: a play of a video there ended counted. */
    viewCounted: (event) => {
      if (event.roomId === view?.room.id) media.viewCounted(event);
    },
    refreshPresence: () => refreshPresence(null),
    stop() {
      ROOMY_LAYOUT.removeEventListener('change', fitMembersToLayout);
      attachments.stop();
      broadcasts.stop();
      timeline.clear();
    },
  };
}
