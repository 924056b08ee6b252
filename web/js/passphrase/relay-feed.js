// What the hub says about passphrase sessions, kept so that a handshake step can wait for a state
// whatever the order of events and calls: an answer may arrive before the start call returns, and
// after a reconnect the lost events are fetched (GET /api/passphrase/sessions/{id}).

const ORDER = ['requested', 'answered', 'connected'];

/** A session ended without a connection (or later): `code` is the server's failure code. */
export class PassphraseFailed extends Error {
  constructor(code) {
    super(`The passphrase session failed: ${describeFailure(code)} (${code}).`);
    this.name = 'PassphraseFailed';
    this.code = code;
  }
}

/** A few words for a person, the same as the CLI's. */
export function describeFailure(code) {
  switch (code) {
    case 'passphrase.mismatch': return 'wrong passphrase';
    case 'passphrase.timeout_t1': return 'no answer in time';
    case 'passphrase.timeout_t2': return 'not confirmed in time';
    default: return 'the session ended';
  }
}

/**
 * @param {ReturnType<import('../api.js').createApi>} api
 * @param {{ onRequest: (session: object) => void }} handlers onRequest: someone asks this user (named mode)
 */
export function createRelayFeed(api, { onRequest }) {
  const latest = new Map(); // session id → newest PakeSessionDto seen
  const waiters = new Map(); // session id → Set of () => void, run on every news about it
  const frameHandlers = new Map(); // session id → (frame) => void
  const resyncHandlers = new Map(); // session id → () => void, for connected sessions

  function apply(session) {
    const known = latest.get(session.id);
    // States only move forward; a late event must not undo a newer one.
    if (known && rank(known) > rank(session)) return;
    latest.set(session.id, session);
    for (const wake of waiters.get(session.id) ?? []) wake();
  }

  const rank = (session) => (session.state === 'failed' ? ORDER.length : ORDER.indexOf(session.state));

  return {
    /** Handlers for the live connection's events (connectLive's `on`). */
    liveHandlers: {
      pakeRequest: (session) => {
        apply(session);
        onRequest(session);
      },
      pakeAnswer: apply,
      pakeConnected: apply,
      pakeFailed: (session) => {
        apply(session);
        resyncHandlers.get(session.id)?.();
      },
      pakeMessage: (frame) => frameHandlers.get(frame.sessionId)?.(frame),
    },

    /** After a reconnect: fetch every session someone waits on, and let connected ones catch up. */
    async resync() {
      await Promise.all([...waiters.keys()].map(async (id) => apply(await api.passphraseSession(id))));
      for (const handler of resyncHandlers.values()) handler();
    },

    /** Resolves with the session once it has reached `state`; rejects with PassphraseFailed if it fails first. */
    waitFor(sessionId, state) {
      return new Promise((resolve, reject) => {
        const wake = () => {
          const session = latest.get(sessionId);
          if (!session) return;
          const done = session.state === 'failed' || ORDER.indexOf(session.state) >= ORDER.indexOf(state);
          if (!done) return;
          waiters.get(sessionId).delete(wake);
          if (waiters.get(sessionId).size === 0) waiters.delete(sessionId);
          if (session.state === 'failed') reject(new PassphraseFailed(session.failure ?? 'passphrase.mismatch'));
          else resolve(session);
        };
        if (!waiters.has(sessionId)) waiters.set(sessionId, new Set());
        waiters.get(sessionId).add(wake);
        wake();
      });
    },

    /** Routes a connected session's frames and failure to it, until the returned function is called. */
    follow(sessionId, { onFrame, onResync }) {
      frameHandlers.set(sessionId, onFrame);
      resyncHandlers.set(sessionId, onResync);
      return () => {
        frameHandlers.delete(sessionId);
        resyncHandlers.delete(sessionId);
      };
    },

    /** The newest state seen of a session (a failure pushed live, say). */
    latest: (sessionId) => latest.get(sessionId),
  };
}
