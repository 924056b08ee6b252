// The Parley HTTP API. Every refusal becomes an ApiError carrying the server's problem details
// (RFC 9457): `code` to branch on, `detail` to show, because the server's explanation is better
// than anything the page could guess from a status code.

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
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

  async function request(method, path, body, { token = currentToken } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
    }
    if (response.ok) return response.status === 204 ? null : response.json();

    const error = await toApiError(response);
    if (response.status === 401 && token && token === currentToken) {
      error.endedSession = true;
      onSessionEnded(error);
    }
    throw error;
  }

  const room = (roomId) => `/api/rooms/${encodeURIComponent(roomId)}`;

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
    me: () => request('GET', '/api/me'),

    rooms: () => request('GET', '/api/rooms'),
    room: (roomId) => request('GET', room(roomId)),
    createRoom: (name) => request('POST', '/api/rooms', { name }),
    members: (roomId) => request('GET', `${room(roomId)}/members`),
    invite: (roomId, userName) => request('POST', `${room(roomId)}/invitations`, { userName }),
    join: (roomId) => request('POST', `${room(roomId)}/join`),
    leave: (roomId) => request('POST', `${room(roomId)}/leave`),

    send: (roomId, text, clientMessageId) => request('POST', `${room(roomId)}/messages`, { text, clientMessageId }),
    sendDirect: (userName, text, clientMessageId) =>
      request('POST', `/api/users/${encodeURIComponent(userName)}/messages`, { text, clientMessageId }),
    /** @param {{ after?: number, before?: number, limit?: number }} cursor */
    history: (roomId, cursor = {}) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(cursor)) if (value !== undefined) query.set(name, String(value));
      const suffix = query.size ? `?${query}` : '';
      return request('GET', `${room(roomId)}/messages${suffix}`);
    },
  };
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
    problem.detail || problem.title || `The server answered ${response.status} ${response.statusText}.`);
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
