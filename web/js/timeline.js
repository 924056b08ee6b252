// The messages of one room, drawn in sequence order, each exactly once however often it arrives
// (first page, live event, catch-up, the answer to our own send). Media is drawn by media-view.js.

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
 */
export function createTimeline(list, scroller, me, media) {
  let seqs = []; // ascending
  const items = new Map(); // seq → <li>
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
    const item = render(message, message.senderId === me.userId, media);
    list.insertBefore(item, next);
    seqs.splice(index, 0, message.seq);
    items.set(message.seq, item);
    regroup(item);
    if (next) regroup(next);
  }

  return {
    /** Sequence number of the newest message shown; 0 when none is. */
    get newestSeq() {
      return seqs.at(-1) ?? 0;
    },

    get oldestSeq() {
      return seqs[0] ?? 0;
    },

    clear() {
      seqs = [];
      items.clear();
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
      const fresh = messages.filter((message) => !items.has(message.seq));
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

function render(message, mine, media) {
  const time = formatTime(message.sentAt);
  return h('li', {
    class: mine ? 'message mine' : 'message',
    testid: 'message',
    'data-seq': message.seq,
    'data-sender': message.senderId,
    'data-sent': Date.parse(message.sentAt),
    title: time.full,
  },
  h('div', { class: 'meta' },
    h('span', { class: 'sender', testid: 'message-sender' }, message.senderName),
    h('time', { datetime: message.sentAt }, time.short)),
  message.media ? media.render(message) : null,
  // A media message's text is an optional caption.
  message.text ? h('p', { class: 'text', testid: 'message-text' }, message.text) : null);
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
