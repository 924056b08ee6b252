// The Parley HTTP API. Every refusal becomes an ApiError carrying the server's problem details
// (RFC 9457): `code` to branch on, `detail` to show, because the server's explanation is better
// than anything the page could guess from a status code.

export class ApiError extends Error {
  /** @param {object} [problem] the whole problem body: its extension members (findings, verdictId, libraryVersion…) */
  constructor(status, code, detail, problem = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problem = problem;
  }

  get detail() {
    return this.message;
  }
}

/**
 * @param {{ onSessionEnded?: (error: ApiError) => void }} options onSessionEnded runs when the
 *   server refuses the current token (signed out elsewhere, expired), before the call rejects with
 *   an error marked `endedSession`.
 */
export function createApi({ onSessionEnded = () => {} } = {}) {
  let currentToken = null;

  /** Sends one request; resolves with the response when it is a success, rejects with an ApiError otherwise. */
  async function send(method, path, { body, headers = {}, token = currentToken, signal } = {}) {
    const all = { Accept: 'application/json', ...headers };
    if (token) all.Authorization = `Bearer ${token}`;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw networkError();
    }
    if (response.ok) return response;
    throw await refusal(response, token);
  }

  async function request(method, path, body, options) {
    const response = await send(method, path, { ...options, body });
    return response.status === 204 ? null : response.json();
  }

  async function refusal(response, token) {
    const error = await toApiError(response);
    if (response.status === 401 && token && token === currentToken) {
      error.endedSession = true;
      onSessionEnded(error);
    }
    return error;
  }

  // tus 1.0.0 (docs/transfer.md): every request but OPTIONS names the protocol version.
  const tusHeaders = (headers = {}) => ({ 'Tus-Resumable': '1.0.0', ...headers });

  /**
   * Appends bytes to a tus upload. XMLHttpRequest rather than fetch, because only it reports upload
   * progress. Resolves with the server's new offset.
   * @param {(sent: number) => void} onProgress bytes of this body sent so far
   */
  function patchUpload(location, offset, body, onProgress, signal) {
    return new Promise((resolve, reject) => {
      const token = currentToken;
      const xhr = new XMLHttpRequest();
      xhr.open('PATCH', location);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      for (const [name, value] of Object.entries(tusHeaders({ 'Upload-Offset': String(offset) }))) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      xhr.responseType = 'blob';
      xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded));
      xhr.addEventListener('load', async () => {
        if (xhr.status === 204) {
          resolve(Number(xhr.getResponseHeader('Upload-Offset')));
          return;
        }
        // A Response around the body lets the XHR's refusal go through the same problem parsing as fetch's.
        const response = new Response(xhr.response, { status: xhr.status, statusText: xhr.statusText, headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? '' } });
        reject(await refusal(response, token));
      });
      xhr.addEventListener('error', () => reject(networkError()));
      xhr.addEventListener('abort', () => reject(signal.reason));
      const abort = () => xhr.abort();
      signal.addEventListener('abort', abort);
      xhr.addEventListener('loadend', () => signal.removeEventListener('abort', abort));
      xhr.send(body);
    });
  }

  /** @param {{ signal?: AbortSignal, from?: number }} [options] from: the first byte wanted (a range request) */
  const mediaResponse = (messageId, { signal, from = 0 } = {}) =>
    send('GET', `/api/media/${encodeURIComponent(messageId)}`, { headers: { Accept: '*/*', ...(from > 0 ? { Range: `bytes=${from}-` } : {}) }, signal });

  const room = (roomId) => `/api/rooms/${encodeURIComponent(roomId)}`;
  const play = (playId) => `/api/views/plays/${encodeURIComponent(playId)}`;
  const pake = (sessionId) => `/api/passphrase/sessions/${encodeURIComponent(sessionId)}`;

  return {
    setToken(token) {
      currentToken = token;
    },

    register: (userName, password) => request('POST', '/api/accounts', { userName, password }),
    signIn: (userName, password, deviceId) =>
      request('POST', '/api/sessions', { userName, password, deviceId: deviceId ?? null }, { token: null }),
    /** Revokes a session; takes the token explicitly because the page forgets it before asking. */
    signOut: (token) => request('DELETE', '/api/sessions/current', undefined, { token }),
    registerDevice: (name, publicKey, proof) => request('POST', '/api/devices', { name, publicKey, proof }),
    devices: () => request('GET', '/api/devices'),
    revokeDevice: (deviceId) => request('DELETE', `/api/devices/${encodeURIComponent(deviceId)}`),
    me: () => request('GET', '/api/me'),

    rooms: () => request('GET', '/api/rooms'),
    room: (roomId) => request('GET', room(roomId)),
    createRoom: (name) => request('POST', '/api/rooms', { name }),
    members: (roomId) => request('GET', `${room(roomId)}/members`),
    invite: (roomId, userName) => request('POST', `${room(roomId)}/invitations`, { userName }),
    join: (roomId) => request('POST', `${room(roomId)}/join`),
    decline: (roomId) => request('POST', `${room(roomId)}/decline`),
    leave: (roomId) => request('POST', `${room(roomId)}/leave`),

    send: (roomId, text, clientMessageId, replyToId) => request('POST', `${room(roomId)}/messages`, { text, clientMessageId, replyToId }),
    editMessage: (messageId, text) => request('PATCH', `/api/messages/${encodeURIComponent(messageId)}`, { text }),
    deleteMessage: (messageId) => request('DELETE', `/api/messages/${encodeURIComponent(messageId)}`),
    sendDirect: (userName, text, clientMessageId) =>
      request('POST', `/api/users/${encodeURIComponent(userName)}/messages`, { text, clientMessageId }),
    /** @param {{ after?: number, before?: number, limit?: number }} cursor */
    history: (roomId, cursor = {}) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(cursor)) if (value !== undefined) query.set(name, String(value));
      const suffix = query.size ? `?${query}` : '';
      return request('GET', `${room(roomId)}/messages${suffix}`);
    },

    // Transfers take the origin of the node that plays the upload role: '' (this page's server) unless
    // discovery named another one for a broadcast (docs/broadcast.md).
    /** @param {{ contentId: string, size: number, room: string, fileName: string, mediaType: string, forBroadcast?: boolean }} announcement */
    createTransfer: (announcement, origin = '') => request('POST', `${origin}/api/transfers`, announcement),
    transfer: (transferId, origin = '') => request('GET', `${origin}/api/transfers/${encodeURIComponent(transferId)}`),
    proveOwnership: (transferId, proof, origin = '') =>
      request('POST', `${origin}/api/transfers/${encodeURIComponent(transferId)}/proof`, { proof }),
    /** The chunk manifest, given after a proof answered `upload` (content id first): the new plan names only the missing chunks. */
    giveManifest: (transferId, chunks, origin = '') =>
      request('PUT', `${origin}/api/transfers/${encodeURIComponent(transferId)}/manifest`, { chunks }),

    /** Which node plays which role of a signed broadcast: `{ roles, uploadUrl, broadcastUrl }`. */
    discovery: () => request('GET', '/api/discovery'),
    /** Broadcasts a picture with its ticket; resolves with `{ ticketId, messageId, reached }`. */
    broadcast: (roomId, ticket, origin = '') => request('POST', `${origin}/api/broadcasts`, { room: roomId, ticket }),

    /** Creates the tus upload for a transfer; resolves with its absolute address (the endpoint may be on another node). */
    createUpload: async (uploadsEndpoint, transferId, length, fileName) => {
      const metadata = `transferId ${base64Utf8(transferId)},filename ${base64Utf8(fileName)}`;
      const response = await send('POST', uploadsEndpoint, { headers: tusHeaders({ 'Upload-Length': String(length), 'Upload-Metadata': metadata }) });
      return new URL(response.headers.get('Location'), response.url).href;
    },
    /**
     * The largest media the node takes (tus OPTIONS' Tus-Max-Size), or null when it does not say
     * (or, on another origin, does not let this page read it): then only its refusal of the
     * announcement tells.
     */
    uploadLimit: async (origin = '') => {
      try {
        const limit = (await send('OPTIONS', `${origin}/api/uploads`)).headers.get('Tus-Max-Size');
        return limit === null ? null : Number(limit);
      } catch {
        return null;
      }
    },
    /** Where the server's copy of an upload ends: the offset to resume from. */
    uploadOffset: async (location) => Number((await send('HEAD', location, { headers: tusHeaders() })).headers.get('Upload-Offset')),
    patchUpload,
    /** Abandons an upload; the server fails its transfer as cancelled. */
    terminateUpload: (location) => send('DELETE', location, { headers: tusHeaders() }),

    // Passphrase sessions (docs/passphrase.md, "Relay endpoints"): the server relays, it never decrypts.
    startPassphrase: (start) => request('POST', '/api/passphrase/sessions', start),
    passphraseRequests: () => request('GET', '/api/passphrase/requests'),
    passphraseSession: (sessionId) => request('GET', pake(sessionId)),
    claimPassphraseSlot: (slot) => request('POST', `/api/passphrase/slots/${encodeURIComponent(slot)}/claim`),
    answerPassphrase: (sessionId, answer) => request('POST', `${pake(sessionId)}/answer`, answer),
    confirmPassphrase: (sessionId, confirmation) => request('POST', `${pake(sessionId)}/confirm`, confirmation),
    failPassphrase: (sessionId) => request('POST', `${pake(sessionId)}/fail`),
    sendPassphraseFrame: (sessionId, frame) => request('POST', `${pake(sessionId)}/messages`, { frame }),
    passphraseFrames: (sessionId, after) => request('GET', `${pake(sessionId)}/messages?after=${after}`),

    // Scanned sharing (docs/scanning.md): the feature library, verdicts and quarantines.
    /** @returns {Promise<{ version: number, delta: string }>} the library's changes after version `since` */
    scanningLibrary: (since = 0) => request('GET', `/api/scanning/library?since=${since}`),
    /** @returns {Promise<{ operator: boolean }>} */
    scanningAccount: () => request('GET', '/api/scanning/me'),
    /** Operators: imports a rules file; resolves with `{ version, added, skipped: [{ line, reason }] }`. */
    importFeatures: (fileName, text) => request('POST', '/api/scanning/library', { fileName, text }),
    verdicts: (limit = 50) => request('GET', `/api/scanning/verdicts?limit=${limit}`),
    quarantines: () => request('GET', '/api/scanning/quarantines'),
    releaseQuarantine: (contentId) => request('POST', `/api/scanning/quarantines/${encodeURIComponent(contentId)}/release`),

    // Authentic view counts (docs/views.md, "HTTP API").
    /** @returns {Promise<{ keyId: string, publicKey: string }>} the server's view key, which signs every play */
    viewKey: () => request('GET', '/api/views/key'),
    startPlay: (media, clientShare, deviceSignature) => request('POST', '/api/views/plays', { media, clientShare, deviceSignature }),
    /** @param {{ sealed?: string, plain?: string }} report exactly one, base64url (the other goes as null: the server wants both named) */
    sendReport: (playId, { sealed = null, plain = null }) => request('POST', `${play(playId)}/reports`, { sealed, plain }),
    /** @returns {Promise<object>} the play's record (PlayRecordDto): its verdict and reasons */
    endPlay: (playId) => request('POST', `${play(playId)}/end`),
    playRecord: (playId) => request('GET', play(playId)),
    /** @returns {Promise<{ media: string, views: number, openPlays: number }>} */
    views: (messageId) => request('GET', `/api/views/media/${encodeURIComponent(messageId)}`),

    /** The bytes a media message carries (by message id), read with this session's token. */
    media: async (messageId, { signal } = {}) => (await mediaResponse(messageId, { signal })).blob(),
    /** The same as a response whose body has not been read yet, to stream it. */
    mediaResponse,
  };
}

const networkError = () => new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');

/** Upload-Metadata values are the base64 of UTF-8 bytes, so any file name survives. */
function base64Utf8(text) {
  return btoa(Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(''));
}

async function toApiError(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem JSON (a proxy's error page, say): fall back to the status line.
  }
  return new ApiError(
    response.status,
    problem.code ?? `http.${response.status}`,
    problem.detail || problem.title || `The server answered ${response.status} ${response.statusText}.`,
    problem);
}

/**
 * A fresh id for one message being sent. The server treats a repeat with the same id as the same
 * message, so a retry after a lost answer never posts twice. getRandomValues (unlike randomUUID)
 * also works on plain-http pages served from a LAN address.
 */
export function newClientMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
