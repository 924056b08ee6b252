// The first detection as the page uses it: the server's feature library kept in IndexedDB and brought
// up to date (GET /api/scanning/library?since=V at sign-in and before each share, the hub's
// libraryUpdated live), every file inspected before it is sent, a passing file's identifier signed
// with this browser's device key, and the last 50 shares remembered so that a library update can
// re-check them. A share's File object can only be read again while this page lives: files shared
// from an earlier page load are listed, not rescanned.

import { loadDevice } from '../device-key.js';
import { keyValueStore } from '../key-value-store.js';
import { applyDelta, EMPTY_LIBRARY, parseDelta, parseLibrary, writeLibrary } from './feature-text.js';
import { createIdentifier } from './identifier.js';
import { inspectFile } from './inspect.js';
import { compileMatcher } from './matcher.js';

const libraries = keyValueStore('parley-scanning', 'libraries', 'userName');
const recentStore = keyValueStore('parley-recent-shares', 'shares', 'userName');
export const RECENT_LIMIT = 50;

/** A share the first or the second detection refused; findings are {code, detector, detail}. */
export class ShareBlocked extends Error {
  constructor(fileName, findings, stage, verdictId = null) {
    super(`Not sent: ${fileName}`);
    this.name = 'ShareBlocked';
    this.code = 'share.blocked';
    this.fileName = fileName;
    this.findings = findings;
    this.stage = stage; // 'local' | 'server'
    this.verdictId = verdictId;
  }
}

/**
 * @param {{ api: ReturnType<import('../api.js').createApi>, session: { userName: string }, onRecheckFailed?: (share: object, findings: object[]) => void }} options
 */
export function createScanner({ api, session, onRecheckFailed = () => {} }) {
  const key = session.userName.toLowerCase();
  let library = EMPTY_LIBRARY;
  let matcher = compileMatcher(library);
  const held = new Map(); // contentId → File, for the shares of this page load
  const loaded = libraries.get(key).then((record) => {
    if (record?.text) use(parseLibrary(record.text));
  }).catch(() => {});

  function use(next) {
    library = next;
    matcher = compileMatcher(next);
  }

  async function save() {
    await libraries.put({ userName: key, text: writeLibrary(library) }).catch(() => {});
  }

  /** Brings the copy to the server's version; a copy newer than the server (a server started afresh) is replaced by the server's whole library. */
  async function sync() {
    await loaded;
    const before = library.version;
    let answer = await api.scanningLibrary(library.version).catch((error) => {
      if (error.code === 'request.invalid') return null;
      throw error;
    });
    if (!answer || answer.version < library.version) {
      use(EMPTY_LIBRARY);
      answer = await api.scanningLibrary(0);
    }
    use(applyDelta(library, parseDelta(answer.delta)));
    if (library.version !== before) {
      await save();
      recheck();
    }
  }

  /** The hub's libraryUpdated {version, from, delta}: applied when it follows on from the copy, else a sync. */
  async function applyLive({ version, from, delta }) {
    await loaded;
    if (version <= library.version) return;
    if (from > library.version) return sync();
    use(applyDelta(library, parseDelta(delta)));
    await save();
    recheck();
  }

  const inspect = (file, options = {}) => inspectFile(file, matcher, { declaredMediaType: file.type, ...options });

  /** Inspects; throws ShareBlocked when the file fails; returns the inspection. */
  async function check(file, { signal } = {}) {
    const inspection = await inspect(file, { signal });
    if (!inspection.passed) throw new ShareBlocked(file.name, inspection.findings, 'local');
    return inspection;
  }

  /** The identifier of content that passed, signed with this browser's device key. */
  async function sign(inspection) {
    const device = await loadDevice(key).catch(() => undefined);
    if (!device?.privateKey) throw new Error('This browser has no device key to sign the security check with; sign out and in again.');
    return createIdentifier(device.privateKey, inspection.contentId, inspection.libraryVersion);
  }

  async function remember(file, contentId, identifier) {
    held.set(contentId, file);
    const record = (await recentStore.get(key).catch(() => undefined)) ?? { userName: key, shares: [] };
    const shares = [{ name: file.name, contentId, identifier, at: Date.now() }, ...record.shares.filter((s) => s.contentId !== contentId)].slice(0, RECENT_LIMIT);
    await recentStore.put({ userName: key, shares }).catch(() => {});
  }

  /** After a library update: re-checks the recent shares whose files this page still holds, refreshing their identifiers. */
  async function recheck() {
    const record = await recentStore.get(key).catch(() => undefined);
    if (!record) return;
    const shares = [];
    for (const share of record.shares) {
      const file = held.get(share.contentId);
      if (!file) {
        shares.push(share);
        continue;
      }
      const inspection = await inspect(file);
      if (!inspection.passed) onRecheckFailed(share, inspection.findings);
      shares.push({ ...share, identifier: inspection.passed ? await sign(inspection).catch(() => null) : null, failed: !inspection.passed });
    }
    await recentStore.put({ userName: key, shares }).catch(() => {});
  }

  return {
    sync,
    applyLive,
    check,
    sign,
    remember,
    inspect,
    recentShares: async () => (await recentStore.get(key).catch(() => undefined))?.shares ?? [],
    get version() {
      return library.version;
    },
  };
}
