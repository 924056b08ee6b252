// The passphrase session dialog: ask a user, generate a code or enter one, answer a request, then
// talk and send files end-to-end encrypted, as `parley talk` does. One session at a time; every
// failure and refusal is shown in the dialog with the server's reason.

import { refusalNotice } from '../scanning/refusal-view.js';
import { ShareBlocked } from '../scanning/scanner.js';
import { byId, describe, formatBytes, h, saveBlob, whileBusy } from '../ui.js';
import { openConversation } from './conversation.js';
import { accept, askUser, decline, generateCode, joinWithCode } from './handshake.js';
import { createRelayFeed, describeFailure, PassphraseFailed } from './relay-feed.js';

/**
 * @param {object} options
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {{ userName: string }} options.me
 * @param {ReturnType<import('../scanning/scanner.js').createScanner>} options.scanner checks a file's plaintext before it is sealed
 * @returns {{ liveHandlers: Record<string, (payload: any) => void>, load: () => Promise<void>, resync: () => Promise<void>, stop: () => void }}
 */
export function createPassphrasePanel({ api, me, scanner }) {
  const dialog = byId('passphrase');
  const part = (role) => dialog.querySelector(`[data-role="${role}"]`);
  const openButton = byId('passphrase-open');
  const requestsCount = byId('passphrase-requests-count');
  // Session id → a named request to this user, not yet answered. The server's word decides when
  // one expires (pakeFailed at T1, or its absence from GET …/requests), not this device's clock.
  const requests = new Map();
  let busy = false; // a handshake is running or a conversation is open
  let waiting = null; // the id of a session this user opened, while it waits for the other person
  let cancelled = false;
  let conversation = null;

  const feed = createRelayFeed(api, {
    onRequest: (session) => {
      requests.set(session.id, session);
      renderRequests();
    },
  });

  openButton.addEventListener('click', () => dialog.showModal());
  part('close').addEventListener('click', () => dialog.close());

  part('ask-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { to, passphrase } = Object.fromEntries(new FormData(form));
    run(form, `Asking ${to.trim()}…`, async () => {
      const opened = await askUser({ api, feed, me: me.userName, to, passphrase });
      form.reset();
      status(`Waiting for ${opened.session.responder} to answer with the same passphrase…`);
      waitFor(opened.session.id);
      return opened.connect();
    });
  });

  part('generate').addEventListener('click', (event) => {
    run(event.currentTarget, 'Making a code…', async () => {
      const opened = await generateCode({ api, feed, me: me.userName });
      status('Give this code to the other person (it works once): ',
        h('output', { class: 'passphrase-code', testid: 'passphrase-code' }, opened.code), '. Waiting for them to enter it…');
      waitFor(opened.session.id);
      return opened.connect();
    });
  });

  part('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { code } = Object.fromEntries(new FormData(form));
    run(form, 'Joining…', async () => {
      const connected = await joinWithCode({ api, feed, code });
      form.reset();
      return connected;
    });
  });

  part('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = form.elements.text.value;
    if (!conversation || !text.trim()) return;
    try {
      await whileBusy(form, () => conversation.sendText(text));
      form.reset();
      showError(null);
      log(me.userName, text);
    } catch (error) {
      showError(error);
    }
    form.elements.text.focus();
  });

  part('file').addEventListener('change', async (event) => {
    const input = event.currentTarget;
    const [file] = input.files;
    if (!conversation || !file) return;
    input.disabled = true;
    try {
      note(`Sending ${file.name} (${formatBytes(file.size)}), encrypted…`);
      await conversation.sendFile(file);
      showError(null);
      note(`Sent ${file.name}.`, 'passphrase-file-sent');
    } catch (error) {
      showError(error);
    } finally {
      input.value = '';
      input.disabled = false;
    }
  });

  // Giving up on a session this user opened ends it for both; the slot of a code is freed.
  part('cancel').addEventListener('click', async () => {
    if (!waiting) return;
    cancelled = true;
    try {
      await api.failPassphrase(waiting);
    } catch (error) {
      cancelled = false;
      showError(error);
    }
  });

  part('leave').addEventListener('click', async () => {
    if (!conversation) return;
    const ending = conversation;
    try {
      await ending.leave();
      end('You ended the session.');
    } catch (error) {
      showError(error);
    }
  });

  /**
   * Runs one handshake from a form or button: no second one starts meanwhile, and its outcome is
   * either an open conversation or an error in the dialog.
   */
  async function run(control, message, handshake) {
    if (busy) return;
    busy = true;
    showError(null);
    status(message);
    setSetupDisabled(true);
    try {
      startConversation(await handshake());
    } catch (error) {
      busy = false;
      status(cancelled ? 'Cancelled: that request or code no longer works.' : '');
      if (!cancelled) showError(error);
      setSetupDisabled(false);
      control.focus?.();
    } finally {
      waitFor(null);
      cancelled = false;
    }
  }

  /** Offers to cancel while a session this user opened waits for the other person. */
  function waitFor(sessionId) {
    waiting = sessionId;
    part('cancel').hidden = sessionId === null;
  }

  function startConversation(connected) {
    requests.delete(connected.session.id);
    renderRequests();
    part('log').replaceChildren();
    conversation = openConversation({ api, scanner, feed, connected, onEvent });
    status(`Connected with ${conversation.peer}: end-to-end encrypted.`);
    dialog.dataset.state = 'connected';
    part('setup').hidden = true;
    part('conversation').hidden = false;
    part('composer').hidden = false;
    part('leave').hidden = false;
    part('composer').elements.text.focus();
  }

  function onEvent(event) {
    switch (event.type) {
      case 'text':
        log(event.from, event.text);
        break;
      case 'file':
        part('log').append(h('li', { testid: 'passphrase-file' },
          h('span', { class: 'from' }, event.from), `${event.name} (${formatBytes(event.size)}) `,
          h('button', {
            type: 'button', class: 'small', testid: 'passphrase-save-file',
            onclick: async (click) => {
              const button = click.currentTarget;
              button.disabled = true;
              try {
                saveBlob(await event.open(), event.name);
              } catch (error) {
                showError(error);
              } finally {
                button.disabled = false;
              }
            },
          }, 'Decrypt and save')));
        break;
      case 'left':
        end(`${event.peer} ended the session.`);
        break;
      case 'failed':
        end('');
        showError(new PassphraseFailed(event.code));
        break;
      case 'rejected':
        note(`A frame was refused: ${event.message}`);
        break;
    }
  }

  /** The conversation is over: its log stays readable, and a new session can start. */
  function end(message) {
    conversation?.stop();
    conversation = null;
    busy = false;
    delete dialog.dataset.state;
    note(message);
    status(message);
    part('composer').hidden = true;
    part('leave').hidden = true;
    part('setup').hidden = false;
    setSetupDisabled(false);
  }

  function log(from, text) {
    part('log').append(h('li', { testid: 'passphrase-line', 'data-from': from }, h('span', { class: 'from' }, from), text));
    part('log').lastElementChild.scrollIntoView({ block: 'nearest' });
  }

  function note(text, testid = 'passphrase-note') {
    if (text) part('log').append(h('li', { class: 'note', testid }, text));
  }

  function status(...content) {
    part('status').replaceChildren(...content);
  }

  /** A session failure with its reason and code, or a refusal with the server's explanation. */
  function showError(error) {
    const box = part('error');
    box.hidden = !error;
    if (!error) return box.replaceChildren();
    const code = error.code && error.code !== 'network' ? ` (${error.code})` : '';
    box.dataset.code = error.code ?? '';
    if (error instanceof ShareBlocked) return box.replaceChildren(refusalNotice(error));
    box.textContent = error instanceof PassphraseFailed
      ? `The passphrase session failed: ${describeFailure(error.code)}${code}.`
      : `${describe(error)}${code}`;
  }

  function setSetupDisabled(disabled) {
    for (const control of part('setup').querySelectorAll('input, button')) control.disabled = disabled;
  }

  function renderRequests() {
    part('requests-section').hidden = requests.size === 0;
    requestsCount.textContent = requests.size ? String(requests.size) : '';
    openButton.classList.toggle('primary', requests.size > 0);
    part('requests').replaceChildren(...[...requests.values()].map(requestItem));
  }

  function requestItem(request) {
    const form = h('form', { class: 'inline', 'aria-label': `Answer ${request.initiator}` },
      h('label', { class: 'grow' }, 'The passphrase you both know',
        h('input', { name: 'passphrase', type: 'password', autocomplete: 'off', required: true, testid: 'passphrase-request-secret' })),
      h('button', { type: 'submit', class: 'primary', testid: 'passphrase-accept' }, 'Accept'),
      h('button', {
        type: 'button', testid: 'passphrase-decline',
        onclick: async () => {
          try {
            await decline(api, request);
            requests.delete(request.id);
            renderRequests();
          } catch (error) {
            showError(error);
          }
        },
      }, 'Decline'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const { passphrase } = Object.fromEntries(new FormData(form));
      run(form, `Answering ${request.initiator}…`, () => accept({ api, feed, request, passphrase }));
    });
    return h('li', { testid: 'passphrase-request', 'data-from': request.initiator },
      h('span', {}, h('strong', {}, request.initiator), ' asks you for a passphrase session.'), form);
  }

  /** Requests made while this page was closed or offline, still within their answer time. */
  async function loadRequests() {
    for (const request of await api.passphraseRequests()) requests.set(request.id, request);
    renderRequests();
  }

  return {
    liveHandlers: {
      ...feed.liveHandlers,
      pakeFailed: (session) => {
        feed.liveHandlers.pakeFailed(session);
        if (requests.delete(session.id)) renderRequests();
      },
    },
    load: loadRequests,
    async resync() {
      await feed.resync();
      await loadRequests();
    },
    stop() {
      conversation?.stop();
      if (dialog.open) dialog.close();
    },
  };
}
