// The messages of one room, drawn in sequence order, each exactly once however often it arrives
// (first page, live event, catch-up, the answer to our own send). Media is drawn by media-view.js.
// Edit and deletion entries (docs/messaging.md) are not drawn: they change the message they target.

import { linkify } from './links.js';
import { formatTime, h } from './ui.js';

// Consecutive messages from one sender closer together than this share one name-and-time header.
const GROUP_WITHIN_MS = 5 * 60 * 1000;
// How close to the bottom (px) still counts as "reading the newest", so new messages keep it in view.
const BOTTOM_SLACK_PX = 48;

/**
 * @param {HTMLElement} list the <ol> the messages go in
 * @param {HTMLElement} scroller the element that scrolls them
 * @param {{ userId: string }} me
 * @param {ReturnType<import('./media-view.js').createMediaView>} media
 * @param {{ toolbar: (message: object, mine: boolean) => Node }} actions the reply/edit/delete controls of a message
 */
export function createTimeline(list, scroller, me, media, actions) {
  let seqs = []; // ascending
  const items = new Map(); // seq → <li>
  const shown = new Map(); // message id → the message as drawn
  // Sequence numbers of the newest and oldest edit or deletion entries seen: the cursors of catching up
  // and of paging back count them too (a page may hold nothing but such entries).
  let newestChangeSeq = 0;
  let oldestChangeSeq = Infinity;
  // Whether the reader is at the newest message. Pictures load after their message is drawn and
  // make it taller; a reader who was at the bottom stays there as they do.
  let pinned = true;

  const isAtBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK_PX;
  const scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    pinned = true;
  };
  scroller.addEventListener('scroll', () => { pinned = isAtBottom(); }, { passive: true });
  // The list grows as pictures load; the pane shrinks as the upload tray opens below it.
  const keepPinned = new ResizeObserver(() => {
    if (pinned) scrollToBottom();
  });
  keepPinned.observe(list);
  keepPinned.observe(scroller);

  function insert(message) {
    const index = insertionIndex(seqs, message.seq);
    const next = items.get(seqs[index]) ?? null;
    const item = draw(message);
    list.insertBefore(item, next);
    seqs.splice(index, 0, message.seq);
    items.set(message.seq, item);
    shown.set(message.id, message);
    regroup(item);
    if (next) regroup(next);
  }

  const draw = (message) => render(message, message.senderId === me.userId, media, actions, quoteOf(message.replyToId));

  function quoteOf(messageId) {
    if (!messageId) return null;
    const answered = shown.get(messageId);
    if (!answered) return { label: 'an earlier message' };
    if (answered.deletedAt) return { label: 'a deleted message' };
    return { label: answered.senderName, excerpt: answered.text || answered.media?.fileName || 'a file', seq: answered.seq };
  }

  /**
   * Applies an edit or deletion to the message it targets, if that is shown and does not include it
   * yet (its changedSeq): an entry read twice, or older than the page the message came in, changes nothing.
   */
  function applyChange(change) {
    newestChangeSeq = Math.max(newestChangeSeq, change.seq);
    oldestChangeSeq = Math.min(oldestChangeSeq, change.seq);
    const target = shown.get(change.targetId);
    if (!target || change.seq <= (target.changedSeq ?? 0)) return;
    const changed = change.kind === 'edit'
      ? { ...target, text: change.text, editedAt: change.sentAt, changedSeq: change.seq }
      : { ...target, text: '', media: null, deletedAt: change.sentAt, changedSeq: change.seq };
    shown.set(changed.id, changed);
    redraw(changed);
    for (const reply of list.querySelectorAll(`[data-reply-to="${CSS.escape(changed.id)}"]`)) redraw(shown.get(reply.dataset.id));
  }

  /** @param {boolean} [keepMedia] false when the media itself changed (quarantined, released) */
  function redraw(message, keepMedia = true) {
    const old = items.get(message.seq);
    const item = draw(message);
    // A picture already shown stays as it is when only its caption changes.
    const oldMedia = old.querySelector('.media');
    const newMedia = item.querySelector('.media');
    if (keepMedia && oldMedia && newMedia) newMedia.replaceWith(oldMedia);
    item.className = old.className;
    old.replaceWith(item);
    items.set(message.seq, item);
  }

  return {
    /** Sequence number of the newest entry shown or applied; 0 when none is. The catch-up cursor. */
    get newestSeq() {
      return Math.max(seqs.at(-1) ?? 0, newestChangeSeq);
    },

    /**
     * Quarantines (a notice with the reasons instead of the media) or releases the media of the
     * messages named, where they are shown.
     * @param {string[]} messageIds @param {boolean} quarantined @param {object[]} [reasons] findings
     */
    setQuarantined(messageIds, quarantined, reasons) {
      for (const id of messageIds) {
        const message = shown.get(id);
        if (!message?.media) continue;
        const changed = { ...message, media: { ...message.media, quarantined, quarantineReasons: quarantined ? reasons : undefined } };
        shown.set(id, changed);
        redraw(changed, false);
      }
    },

    /** The message with this id as currently drawn (edits applied), if it is on the page. */
    message: (messageId) => shown.get(messageId),

    get oldestSeq() {
      const oldest = Math.min(seqs[0] ?? Infinity, oldestChangeSeq);
      return oldest === Infinity ? 0 : oldest;
    },

    clear() {
      seqs = [];
      items.clear();
      shown.clear();
      newestChangeSeq = 0;
      oldestChangeSeq = Infinity;
      list.replaceChildren();
      media.clear();
      pinned = true;
    },

    /**
     * Shows the messages not shown yet. Older ones keep the reader's place; newer ones scroll into
     * view when the reader was at the bottom or sent them. True when newer ones arrived out of the
     * reader's view (they had scrolled up), for the "new messages" control.
     */
    add(messages) {
      for (const change of messages.filter(isChange)) applyChange(change);
      const fresh = messages.filter((message) => !isChange(message) && !items.has(message.seq));
      if (fresh.length === 0) return false;
      const wasAtBottom = isAtBottom();
      const distanceFromBottom = scroller.scrollHeight - scroller.scrollTop;
      const olderOnly = seqs.length > 0 && fresh.every((message) => message.seq < seqs[0]);
      for (const message of fresh) if (!items.has(message.seq)) insert(message);
      if (olderOnly) scroller.scrollTop = scroller.scrollHeight - distanceFromBottom;
      else if (wasAtBottom || fresh.some((message) => message.senderId === me.userId)) scrollToBottom();
      else return true;
      return false;
    },

    scrollToBottom,

    get atBottom() {
      return isAtBottom();
    },
  };
}

const isChange = (entry) => entry.kind === 'edit' || entry.kind === 'delete';

function render(message, mine, media, actions, quote) {
  const time = formatTime(message.sentAt);
  const deleted = Boolean(message.deletedAt);
  return h('li', {
    class: mine ? 'message mine' : 'message',
    testid: 'message',
    'data-id': message.id,
    'data-seq': message.seq,
    'data-sender': message.senderId,
    'data-sent': Date.parse(message.sentAt),
    'data-reply-to': message.replyToId,
    'data-state': deleted ? 'deleted' : message.editedAt ? 'edited' : null,
    title: time.full,
  },
  h('div', { class: 'meta' },
    h('span', { class: 'sender', testid: 'message-sender' }, message.senderName),
    h('time', { datetime: message.sentAt }, time.short),
    message.editedAt && !deleted ? h('span', { class: 'edited', testid: 'message-edited', title: formatTime(message.editedAt).full }, 'edited') : null),
  quote ? h('p', { class: 'reply-quote', testid: 'reply-quote' },
    h('span', { class: 'reply-to' }, `↪ ${quote.label}`),
    quote.excerpt ? h('span', { class: 'reply-excerpt' }, quote.excerpt) : null) : null,
  deleted ? h('p', { class: 'text deleted', testid: 'message-deleted' }, 'Message deleted') : null,
  message.media ? h('div', { class: 'media' }, media.render(message)) : null,
  // A media message's text is an optional caption.
  message.text ? h('p', { class: 'text', testid: 'message-text' }, linkify(message.text)) : null,
  deleted ? null : actions.toolbar(message, mine));
}

/** Marks an item as continuing its predecessor's group, which hides its repeated header. */
function regroup(item) {
  const previous = item.previousElementSibling;
  const continued = previous !== null
    && previous.dataset.sender === item.dataset.sender
    && Number(item.dataset.sent) - Number(previous.dataset.sent) < GROUP_WITHIN_MS;
  item.classList.toggle('continued', continued);
}

/** Index of the first element of the ascending array that is greater than value. */
function insertionIndex(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
