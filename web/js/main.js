// Entry point: shows the sign-in form or, with a stored session, the workspace, and moves between
// the two on sign-in, sign-out, and a session the server no longer accepts.

import { createApi } from './api.js';
import { mountAuthView } from './auth-view.js';
import * as sessions from './session.js';
import { describe, showProblem } from './ui.js';
import { startWorkspace } from './workspace.js';

let session = null;
let workspace = null;

const api = createApi({ onSessionEnded: () => leave('Your session has ended (signed out elsewhere, or expired). Sign in again.') });
const auth = mountAuthView({ onSubmit: signIn });

// A safety net: an error no handler caught is still shown, never only logged to the console.
window.addEventListener('unhandledrejection', (event) => showProblem(event.reason));

async function signIn(action, userName, password) {
  const { session: started, warning } = action === 'register'
    ? await sessions.register(api, userName, password)
    : await sessions.signIn(api, userName, password);
  if (warning) showProblem(warning, { kind: 'warning' });
  enter(started);
}

function enter(started) {
  session = started;
  api.setToken(session.token);
  auth.hide();
  workspace = startWorkspace({
    api,
    session,
    onSignOut: signOut,
    onOwnDeviceRevoked: () => leave('This browser\'s device was revoked, which signed it out. Signing in again registers it as a new device.'),
  });
}

function leave(reason) {
  if (!workspace) return;
  workspace.stop();
  workspace = null;
  sessions.forgetSession();
  api.setToken(null);
  // The room in the address was this user's; the next one to sign in here starts with none.
  history.replaceState(null, '', location.pathname);
  auth.show();
  if (reason) showProblem(reason);
}

/** Signs out here at once, then revokes the token on the server so it stops working everywhere. */
async function signOut() {
  const { token } = session;
  leave();
  try {
    await api.signOut(token);
  } catch (error) {
    showProblem(`Signed out on this page, but the server could not revoke the session: ${describe(error)}`);
  }
}

const stored = sessions.storedSession();
if (stored) enter(stored);
else auth.show();
