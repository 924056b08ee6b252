// A connected passphrase session: texts and files end-to-end encrypted, as `parley talk` does
// (src/Parley.Client/Passphrase/PassphraseSession*.cs). Each frame holds one JSON object
// ({"type":"text"|"file"|"bye", …}); the relay sees only its length. What the peer sends is
// delivered in the order it was sent, each once: live frames when nothing of the peer's is missing
// before them, otherwise (and after a reconnect) the relay's stored frames from where we are.

import { sendFile } from '../media-upload.js';
import { fromBase64, toBase64, utf8 } from './bytes.js';
import { createFileKey, decryptFile, encryptFile, KEY_LENGTH } from './file-cipher.js';

/** The only name the server sees for a file; the real one travels inside the channel. */
const RELAYED_FILE_NAME = 'passphrase-file.sealed';

/**
 * @param {object} options
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {ReturnType<import('./relay-feed.js').createRelayFeed>} options.feed
 * @param {{ session: object, role: 'A'|'B', channel: ReturnType<import('./channel.js').createChannel> }} options.connected
 * @param {(event: { type: 'text'|'file'|'left'|'failed'|'rejected', [key: string]: any }) => void} options.onEvent
 */
export function openConversation({ api, scanner, feed, connected: { session, role, channel }, onEvent }) {
  const id = session.id;
  const peer = role === 'A' ? session.responder : session.initiator;
  const ownSeqs = new Set(); // the relay's numbers for our own frames, so gaps of ours hide nothing of the peer's
  let cursor = 0; // the last relay sequence number handled
  let ended = false;
  let receiving = Promise.resolve(); // frames are opened one at a time, in order
  let sending = Promise.resolve(); // and sealed and relayed one at a time, in counter order
  let unrelayed = null; // a sealed frame whose relay call failed: it holds the next counter, so it goes first

  const unfollow = feed.follow(id, {
    onFrame: (frame) => enqueue(() => onLiveFrame(frame)),
    onResync: () => enqueue(resync),
  });
  // Whatever the peer sent before we were listening is in the relay's store.
  enqueue(catchUp);

  function enqueue(work) {
    receiving = receiving.then(() => (ended ? undefined : work())).catch((error) => onEvent({ type: 'rejected', message: error.message }));
  }

  async function onLiveFrame(frame) {
    if (frame.seq <= cursor) return;
    for (let between = cursor + 1; between < frame.seq; between++) {
      // A frame of the peer's never arrived live: the store has it, and this one after it.
      if (!ownSeqs.has(between)) return catchUp();
    }
    await handle(frame);
  }

  async function catchUp() {
    while (!ended) {
      const page = await api.passphraseFrames(id, cursor);
      for (const frame of page.frames) {
        if (ended) return;
        await handle(frame);
      }
      if (!page.hasMore || page.frames.length === 0) return;
    }
  }

  /** After a reconnect: live events were lost, a failure or frames or both. */
  async function resync() {
    const state = feed.latest(id)?.state === 'failed' ? feed.latest(id) : await api.passphraseSession(id);
    if (state.state === 'failed') return end({ type: 'failed', code: state.failure ?? 'passphrase.mismatch' });
    return catchUp();
  }

  async function handle(frame) {
    for (let passed = cursor + 1; passed <= frame.seq; passed++) ownSeqs.delete(passed);
    cursor = frame.seq;
    if (frame.sender !== peer) return;
    let content;
    try {
      content = JSON.parse(new TextDecoder().decode(await channel.open(fromBase64(frame.frame))));
    } catch (error) {
      onEvent({ type: 'rejected', message: error.message });
      return;
    }
    const at = frame.sentAt;
    if (content.type === 'text' && typeof content.text === 'string') onEvent({ type: 'text', from: peer, text: content.text, at });
    else if (content.type === 'file' && isFileOffer(content)) onEvent({ type: 'file', from: peer, name: content.name, size: content.size, at, open: () => receiveFile(content) });
    else if (content.type === 'bye') end({ type: 'left', peer });
    else onEvent({ type: 'rejected', message: 'The peer sent content this page cannot read.' });
  }

  function end(event) {
    if (ended) return;
    ended = true;
    unfollow();
    onEvent(event);
  }

  /** Seals and relays one content object; a frame whose call failed is sent again before the next. */
  function send(content) {
    const plaintext = utf8(JSON.stringify(content));
    const step = sending.then(async () => {
      if (unrelayed) await relay(unrelayed);
      await relay(await channel.seal(plaintext));
    });
    // The chain goes on after a failure; the caller still learns of it.
    sending = step.catch(() => {});
    return step;
  }

  async function relay(frame) {
    unrelayed = frame;
    const relayed = await api.sendPassphraseFrame(id, toBase64(frame));
    unrelayed = null;
    ownSeqs.add(relayed.seq);
  }

  async function receiveFile(offer) {
    const ciphertext = await api.media(offer.messageId);
    return decryptFile(ciphertext, fromBase64(offer.key, KEY_LENGTH), offer.size);
  }

  return {
    id,
    peer,
    role,
    sendText: (text) => send({ type: 'text', text }),

    /**
     * Checks the plaintext with the first detection (the server only ever sees ciphertext, so this is
     * the only check it gets; a refusal throws ShareBlocked and nothing is sent), seals the file on this
     * device under a fresh key, sends the ciphertext to the peer with the transfer service (opaque media
     * in the two users' direct room, `sealed: true`), then its name, size, location and key inside the channel.
     */
    async sendFile(file, { signal, onStatus = () => {} } = {}) {
      await scanner.check(file, { signal });
      const key = createFileKey();
      try {
        const sealed = new File([await encryptFile(file, key)], RELAYED_FILE_NAME, { type: 'application/octet-stream' });
        const { message } = await sendFile({ api, file: sealed, to: peer, signal: signal ?? new AbortController().signal, onStatus, sealed: true });
        await send({ type: 'file', name: file.name, size: file.size, contentId: message.media.contentId, messageId: message.id, key: toBase64(key) });
      } finally {
        key.fill(0);
      }
    },

    /** Tells the peer this side is done, and stops listening. */
    async leave() {
      if (ended) return;
      try {
        await send({ type: 'bye' });
      } finally {
        ended = true;
        unfollow();
      }
    },

    /** Stops listening without a word to the peer (the page is going away). */
    stop() {
      ended = true;
      unfollow();
    },
  };
}

const isFileOffer = (content) =>
  typeof content.name === 'string' && Number.isSafeInteger(content.size) && content.size >= 0
  && typeof content.messageId === 'string' && typeof content.key === 'string';
