// One play of a video against the server (docs/views.md, "Web client"): the key agreement at its start, the
// server's signature checked against the view key pinned in IndexedDB, and the reports and end of the play.

import { ApiError } from '../api.js';
import { loadDevice } from '../device-key.js';
import { keyValueStore } from '../key-value-store.js';
import {
  createShare, derivePlayKey, encodeReport, sealReport, signStart, toBase64Url, transcriptBytes, verifyServerSignature, viewKeyId,
} from './play-protocol.js';

// One pinned view key per server (this page's origin): trusted on first use, then a different one is an error.
const pins = keyValueStore('parley-view-keys', 'pins', 'server');

/** The server's answer does not prove it is the server first seen: a forged or substituted play. */
export class ViewKeyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ViewKeyError';
    this.code = 'view.key_mismatch';
  }
}

/** The pinned view key, fetched, checked and pinned on first use. */
async function pinnedViewKey(api) {
  const server = location.origin;
  const pinned = await pins.get(server);
  if (pinned) return pinned;
  const key = await api.viewKey();
  if (key.keyId !== await viewKeyId(key.publicKey)) throw new ViewKeyError('The server\'s view key does not match its own id.');
  const record = { server, keyId: key.keyId, publicKey: key.publicKey };
  await pins.put(record);
  return record;
}

/**
 * Starts a play of `media` (a message id) as this browser's device of `userName`; resolves with the session once the
 * server's share is verified and the play key derived.
 * @param {ReturnType<import('../api.js').createApi>} api
 */
export async function startPlay(api, { media, userName }) {
  const device = await loadDevice(userName.toLowerCase()).catch(() => undefined);
  if (!device?.privateKey) {
    throw new ApiError(0, 'view.no_device', 'This browser has no device key to start a play with; sign out and in again.');
  }
  const pinned = await pinnedViewKey(api);
  const { privateKey, share } = await createShare();
  const started = await api.startPlay(media, share, await signStart(device.privateKey, media, share));
  const transcript = transcriptBytes(started, share);
  if (started.keyId !== pinned.keyId) throw new ViewKeyError('The server signed this play with another view key than the one this browser pinned.');
  if (!await verifyServerSignature(pinned.publicKey, transcript, started.serverSignature)) {
    throw new ViewKeyError('The server\'s signature over this play does not verify with its pinned view key.');
  }
  const key = await derivePlayKey(privateKey, started.serverShare, transcript);
  return createSession(api, started, key);
}

function createSession(api, started, key) {
  const { playId } = started;
  const counters = { sealed: 0, plain: 0 };
  return {
    started,
    /** @param {{ flags: number, bytesDownloaded: number, positionMs: number }} state */
    async sendSealed(state) {
      const report = { ...state, counter: ++counters.sealed, clientTimeMs: Date.now() };
      return api.sendReport(playId, { sealed: toBase64Url(await sealReport(key, playId, report)) });
    },
    async sendPlain(state) {
      const report = { ...state, counter: ++counters.plain, clientTimeMs: Date.now() };
      return api.sendReport(playId, { plain: toBase64Url(encodeReport(report)) });
    },
    /** Ends the play; resolves with its record (the verdict), also when the server had closed it already. */
    async end() {
      try {
        return await api.endPlay(playId);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'view.play_ended') return api.playRecord(playId);
        throw error;
      }
    },
  };
}
