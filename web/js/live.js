// The live channel to the hub. It only pushes: every change goes through the HTTP API. Events sent
// while the connection is down are lost, so every reconnection is followed by a resync (catch-up
// over HTTP), and reconnecting never gives up: a laptop waking from sleep should come back by itself.

const HUB_PATH = '/hub';
const RETRY_DELAYS_MS = [0, 1000, 2000, 5000, 10000, 30000];

const retryDelay = (attempt) => RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];

/**
 * @param {object} options
 * @param {() => string} options.token the bearer token (the hub reads it from the query string)
 * @param {Record<string, (payload: any) => void>} options.on handlers by hub event name
 * @param {(state: 'connecting'|'connected'|'reconnecting'|'offline') => void} options.onStatus
 * @param {() => void} options.onResync runs after every reconnection, when events may have been missed
 * @param {() => void} options.onConnectFailed an attempt to (re)connect failed. SignalR does not
 *   say why (its error hides the status code), so the owner can ask the API whether the session is over.
 * @returns {{ started: Promise<void>, stop: () => Promise<void> }} started settles after the first
 *   attempt to connect, whether or not it succeeded (later attempts go on in the background)
 */
export function connectLive({ token, on, onStatus, onResync, onConnectFailed }) {
  const { HubConnectionBuilder, LogLevel } = window.signalR;
  const connection = new HubConnectionBuilder()
    .withUrl(HUB_PATH, { accessTokenFactory: token })
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: ({ previousRetryCount }) => {
        // The first call is about the lost connection; each later one follows a failed attempt.
        if (previousRetryCount > 0) onConnectFailed();
        return retryDelay(previousRetryCount);
      },
    })
    .configureLogging(LogLevel.Warning)
    .build();
  for (const [event, handler] of Object.entries(on)) connection.on(event, handler);

  let stopped = false;
  let retryTimer;

  connection.onreconnecting(() => onStatus('reconnecting'));
  connection.onreconnected(() => {
    onStatus('connected');
    onResync();
  });
  // Automatic reconnection only covers connections that were up once; a close it did not recover
  // from (or a failed first start, below) is retried here.
  connection.onclose(() => {
    if (stopped) return;
    onStatus('offline');
    retryTimer = setTimeout(() => start(1, true), retryDelay(1));
  });

  async function start(attempt, resyncAfter) {
    if (stopped) return;
    onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      await connection.start();
      onStatus('connected');
      if (resyncAfter) onResync();
    } catch {
      if (stopped) return;
      onConnectFailed();
      onStatus('offline');
      retryTimer = setTimeout(() => start(attempt + 1, true), retryDelay(attempt + 1));
    }
  }

  return {
    started: start(0, false),
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await connection.stop();
    },
  };
}
