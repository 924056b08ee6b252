// Runs SPAKE2 through the server's relay (docs/passphrase.md, "Message flow"), the same steps as
// src/Parley.Client/Passphrase: A opens a session (to a user, or under a code's slot), B answers
// with its share, confirmation and random, A checks B's confirmation and confirms, B checks A's.
// A confirmation that does not match is reported (POST …/fail), which fails the session for both.
// Each function resolves with what a conversation needs: the connected session, this side's role
// and its channel; or rejects with PassphraseFailed (the server's failure code) or the ApiError of
// a refusal.

import { fromBase64, ProtocolError, toBase64 } from './bytes.js';
import { createChannel, createRandom, deriveChannelKeys, RANDOM_LENGTH } from './channel.js';
import { generateWords, parseCode } from './code.js';
import { PassphraseFailed } from './relay-feed.js';
import { CONFIRMATION_LENGTH, deriveSecret, SHARE_LENGTH, startParty } from './spake2.js';

/** The identity B binds in code mode, where nobody is the responder yet when A derives w. */
const CODE_IDENTITY = 'code';

/**
 * Named mode, A's side: asks `to` for a session; they are prompted live. Resolves once the server
 * holds the request, with `connect()` to wait for the answer.
 */
export async function askUser({ api, feed, me, to, passphrase }) {
  // The server finds the responder by the normalized name and names them so to B; w binds that spelling.
  const responder = to.trim().toLowerCase();
  const secret = await deriveSecret(passphrase, me, responder);
  return open({ api, feed, secret, start: { to: responder } });
}

/** Code mode, A's side: opens a session under a slot; `code` (e.g. 7-crossover-clockwork) is for the other person. */
export async function generateCode({ api, feed, me }) {
  // A's share goes with the request, before the server picks the slot, so the words come first.
  const words = generateWords();
  const secret = await deriveSecret(words, me, CODE_IDENTITY);
  const opened = await open({ api, feed, secret, start: { code: true } });
  return { ...opened, code: `${opened.session.slot}-${words}` };
}

async function open({ api, feed, secret, start }) {
  const party = startParty('A', secret);
  const session = await api.startPassphrase({ ...start, share: toBase64(party.share) });
  return {
    session,
    /** Waits for B's answer, checks B's confirmation, confirms: resolves with the connected session. */
    async connect() {
      const answered = await feed.waitFor(session.id, 'answered');
      let ke;
      let ownConfirmation;
      let randomB;
      try {
        const schedule = await party.finish(fromBase64(answered.answerShare, SHARE_LENGTH));
        ke = schedule.verifyPeer(fromBase64(answered.answerConfirmation, CONFIRMATION_LENGTH));
        ownConfirmation = schedule.ownConfirmation;
        randomB = fromBase64(answered.answerRandom, RANDOM_LENGTH);
      } catch (error) {
        throw await reportIfMismatch(api, session.id, error);
      }
      const randomA = createRandom();
      const connected = await call(api, session.id, () =>
        api.confirmPassphrase(session.id, { confirmation: toBase64(ownConfirmation), random: toBase64(randomA) }));
      return connectedAs('A', connected, ke, randomA, randomB);
    },
  };
}

/** Code mode, B's side: claims the code's slot (one claimant only) and answers with the code's words. */
export async function joinWithCode({ api, feed, code }) {
  const { slot, passphrase } = parseCode(code);
  const request = await api.claimPassphraseSlot(slot);
  return accept({ api, feed, request, passphrase });
}

/** Named mode, B's side: turns a request down without guessing; nobody is charged. */
export const decline = (api, request) => api.failPassphrase(request.id);

/**
 * B's side of either mode (a request made to this user, or a claimed slot): derive w for the
 * identities the request names, answer, wait for "connected", check A's confirmation.
 */
export async function accept({ api, feed, request, passphrase }) {
  const codeMode = request.slot !== null && request.slot !== undefined;
  const secret = await deriveSecret(passphrase, request.initiator, codeMode ? CODE_IDENTITY : request.responder);
  const party = startParty('B', secret);
  let schedule;
  try {
    schedule = await party.finish(fromBase64(request.requestShare, SHARE_LENGTH));
  } catch (error) {
    throw await reportIfMismatch(api, request.id, error);
  }
  const randomB = createRandom();
  await call(api, request.id, () => api.answerPassphrase(request.id, {
    share: toBase64(party.share), confirmation: toBase64(schedule.ownConfirmation), random: toBase64(randomB),
  }));
  const connected = await feed.waitFor(request.id, 'connected');
  let ke;
  let randomA;
  try {
    ke = schedule.verifyPeer(fromBase64(connected.confirmConfirmation, CONFIRMATION_LENGTH));
    randomA = fromBase64(connected.confirmRandom, RANDOM_LENGTH);
  } catch (error) {
    throw await reportIfMismatch(api, request.id, error);
  }
  return connectedAs('B', connected, ke, randomA, randomB);
}

async function connectedAs(role, session, ke, randomA, randomB) {
  const keys = await deriveChannelKeys(ke, randomA, randomB);
  ke.fill(0);
  return { session, role, channel: createChannel(role, keys, session.id) };
}

/**
 * One relay call, turning a refusal that means "this session is over" into the session's failure:
 * a late answer or confirmation, or a step the timer already ended.
 */
async function call(api, sessionId, step) {
  try {
    return await step();
  } catch (error) {
    if (error.code === 'passphrase.timeout_t1' || error.code === 'passphrase.timeout_t2') throw new PassphraseFailed(error.code);
    if (error.code === 'passphrase.wrong_state') {
      const session = await api.passphraseSession(sessionId);
      if (session.state === 'failed') throw new PassphraseFailed(session.failure);
    }
    throw error;
  }
}

/**
 * This side's check failed (a wrong passphrase, or an exchange someone altered): the server ends the
 * session for both. A session a timer ended first keeps that failure.
 */
async function reportIfMismatch(api, sessionId, error) {
  if (!(error instanceof ProtocolError)) return error;
  const session = await api.failPassphrase(sessionId);
  return new PassphraseFailed(session.failure ?? 'passphrase.mismatch');
}
