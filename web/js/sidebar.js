// The sidebar: who is signed in, the live connection's state, pending invitations, the rooms
// (group and direct, with unread counts), and the forms that start a room or a conversation.

import { avatar, byId, describe, guard, h, whileBusy } from './ui.js';

const LIVE_LABELS = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};

/**
 * @param {object} options
 * @param {{ userName: string }} options.me
 * @param {(name: string) => Promise<void>} options.onCreateRoom
 * @param {(userName: string, text: string) => Promise<void>} options.onMessageUser
 * @param {(roomId: string) => Promise<void>} options.onJoin
 * @param {(roomId: string) => Promise<void>} options.onDecline
 * @param {() => void} options.onSignOut
 */
export function createSidebar({ me, onCreateRoom, onMessageUser, onJoin, onDecline, onSignOut }) {
  const el = {
    lists: byId('room-lists'),
    liveStatus: byId('live-status'),
    liveLabel: byId('live-label'),
    invitationsSection: byId('invitations-section'),
    invitations: byId('invitations'),
    groupRooms: byId('group-rooms'),
    directRooms: byId('direct-rooms'),
  };

  byId('me-name').textContent = me.userName;
  byId('me-avatar').replaceWith(avatar(me.userName));
  byId('sign-out').addEventListener('click', onSignOut);

  disclose(byId('new-room-toggle'), byId('new-room-form'), async (form) => {
    await onCreateRoom(form.elements.name.value.trim());
  });
  disclose(byId('message-user-toggle'), byId('message-user-form'), async (form) => {
    await onMessageUser(form.elements.userName.value.trim(), form.elements.text.value);
  });

  return {
    /**
     * @param {{ rooms: object[], invitations: object[], currentRoomId: string|null, unread: (room: object) => number }} state
     */
    render({ rooms, invitations, currentRoomId, unread }) {
      // The lists are redrawn whenever anything changes (a message elsewhere, say); whoever was
      // tabbing through them keeps their place.
      const focused = el.lists.contains(document.activeElement) ? document.activeElement.dataset.roomId : undefined;
      const item = (room) => roomItem(room, room.id === currentRoomId, unread(room));
      fill(el.groupRooms, rooms.filter((room) => room.kind === 'group').map(item), 'No rooms yet.');
      fill(el.directRooms, rooms.filter((room) => room.kind === 'direct').map(item), 'No conversations yet.');
      el.invitationsSection.hidden = invitations.length === 0;
      el.invitations.replaceChildren(...invitations.map((invitation) => invitationItem(invitation, onJoin, onDecline)));
      if (focused) el.lists.querySelector(`[data-room-id="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    },

    setLiveStatus(state) {
      el.liveStatus.dataset.state = state;
      el.liveLabel.textContent = LIVE_LABELS[state];
    },
  };
}

/**
 * A button that shows its form; the form hides again on Escape or once its action succeeded.
 * A failed action leaves the form open with what was typed, for another try.
 */
function disclose(toggle, form, action) {
  const setOpen = (open) => {
    form.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) form.elements[0].focus();
  };
  toggle.addEventListener('click', () => setOpen(form.hidden));
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    setOpen(false);
    toggle.focus();
  });
  form.addEventListener('submit', guard(async (event) => {
    event.preventDefault();
    await whileBusy(form, () => action(form));
    form.reset();
    setOpen(false);
  }));
}

function fill(list, items, emptyText) {
  list.replaceChildren(...(items.length ? items : [h('li', { class: 'empty' }, emptyText)]));
}

function roomItem(room, current, unread) {
  const group = room.kind === 'group';
  return h('li', {},
    h('a', {
      class: unread ? 'room unread' : 'room',
      href: `#/rooms/${encodeURIComponent(room.id)}`,
      'aria-current': current ? 'page' : null,
      testid: 'room',
      'data-room-id': room.id,
    },
    group ? h('span', { class: 'room-icon', 'aria-hidden': 'true' }, '#') : avatar(room.name),
    h('span', { class: 'room-name', testid: 'room-name' }, room.name),
    unread ? h('span', { class: 'badge', testid: 'unread', 'aria-label': `${unread} unread` }, unread > 99 ? '99+' : unread) : null));
}

/** A pending invitation with Join and Decline; a refusal of either is shown in the invitation itself. */
function invitationItem(invitation, onJoin, onDecline) {
  const room = `#${invitation.roomName}`;
  const error = h('p', { class: 'invitation-error', role: 'alert', testid: 'invitation-error' });
  const answer = (label, testid, className, ariaLabel, action) => {
    const button = h('button', { type: 'button', class: `${className} small`, testid, 'data-room-id': invitation.roomId, 'aria-label': ariaLabel }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      error.textContent = '';
      try {
        await action(invitation.roomId);
      } catch (problem) {
        error.textContent = describe(problem);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  };
  return h('li', { class: 'invitation', testid: 'invitation' },
    h('div', { class: 'invitation-text' },
      h('span', { class: 'room-name' }, room),
      h('span', { class: 'muted' }, `from ${invitation.invitedBy}`),
      error),
    answer('Join', 'join', 'primary', `Join ${room}`, onJoin),
    answer('Decline', 'decline', 'quiet', `Decline the invitation to ${room}`, onDecline));
}
