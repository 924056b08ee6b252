// Signing in. The session (token included) is kept in localStorage so a reload stays signed
// in; the device key that goes with it is kept in IndexedDB (device-key.js).

import { ApiError } from './api.js';
import * as devices from './device-key.js';
import { describe } from './ui.js';

const STORAGE_KEY = 'parley.session';

/** The session this browser signed in with, unless it has expired. */
export function storedSession() {
  let session = null;
  try {
    session = JSON.parse(localStorage.getItem(STORAGE_KEY));
  } catch {
    // A damaged entry is as good as none.
  }
  if (!session?.token || Date.parse(session.expiresAt) <= Date.now()) return null;
  return session;
}

export function forgetSession() {
  localStorage.removeItem(STORAGE_KEY);
}

export async function register(api, userName, password) {
  await api.register(userName, password);
  return signIn(api, userName, password);
}

/**
 * Signs in as this browser's device of the user: the first sign-in here registers a device key, and
 * later ones name that device so the server binds the session to it.
 * @returns {Promise<{ session: object, warning?: string }>} warning: signed in, but without a device
 */
export async function signIn(api, userName, password) {
  // The server compares user names in lower case; key the local device record the same way.
  const known = await loadDevice(userName.trim().toLowerCase());
  let session;
  try {
    session = await api.signIn(userName, password, known?.deviceId);
  } catch (error) {
    if (!(known && error instanceof ApiError && error.code === 'device.not_found')) throw error;
    // The server no longer knows this browser's device (it was revoked, or the data was reset): enrol a new one.
    await devices.forgetDevice(known.userName);
    session = await api.signIn(userName, password, null);
  }
  api.setToken(session.token);

  let warning;
  if (!session.deviceId) {
    try {
      session.deviceId = await enrolDevice(api, session);
    } catch (error) {
      // The device key is not needed to chat yet, so its failure must not lock the user out.
      warning = `Signed in, but this browser could not be registered as a device: ${describe(error)}`;
    }
  }
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return { session, warning };
}

async function loadDevice(userName) {
  if (!devices.canHoldDeviceKeys()) return undefined;
  try {
    return await devices.loadDevice(userName);
  } catch {
    // Storage unavailable (a private window in some browsers): sign in without a device.
    return undefined;
  }
}

async function enrolDevice(api, session) {
  if (!devices.canHoldDeviceKeys()) throw new Error('device keys need a secure connection (https, or http on localhost).');
  const { privateKey, publicKey } = await devices.createDeviceKey();
  const proof = await devices.signDeviceProof(privateKey, session.userId, publicKey);
  const device = await api.registerDevice(deviceName(), publicKey, proof);
  await devices.saveDevice({ userName: session.userName, userId: session.userId, deviceId: device.id, privateKey, publicKey });
  return device.id;
}

/** A name the user can recognise in a device list, e.g. "Firefox on Linux". */
function deviceName() {
  const agent = navigator.userAgent;
  const browser = [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']]
    .find(([marker]) => agent.includes(marker))?.[1] ?? 'Browser';
  const platform = /Android|iPhone|iPad|Mac OS X|Windows|Linux/.exec(agent)?.[0];
  return platform ? `${browser} on ${platform.replace('Mac OS X', 'macOS')}` : browser;
}
