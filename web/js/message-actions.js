// Reply, edit and delete for the messages of the open room (docs/messaging.md). Every message has
// Reply; one's own messages have Edit (in place: Enter saves, Escape cancels) and Delete (a second
// click confirms). A refusal is shown next to the control that caused it.

import { byId, describe, h } from './ui.js';

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {HTMLElement} options.list the timeline's <ol>, whose clicks are handled here
 * @param {(messageId: string) => object | undefined} options.messageOf the message as currently shown
 * @param {(entry: object) => void} options.onChanged an edit or deletion entry the server accepted
 * @param {HTMLTextAreaElement} options.input the composer's text box, focused when a reply starts
 */
export function createMessageActions({ api, list, messageOf, onChanged, input }) {
  const banner = byId('reply-banner');
  let replyingTo = null;

  function toolbar(message, mine) {
    const button = (action, label, ariaLabel) =>
      h('button', { type: 'button', class: 'quiet small', 'data-action': action, testid: `message-${action}`, 'aria-label': ariaLabel }, label);
    return h('div', { class: 'message-actions', testid: 'message-actions' },
      button('reply', 'Reply', `Reply to ${message.senderName}`),
      mine ? button('edit', 'Edit', 'Edit your message') : null,
      mine ? button('delete', 'Delete', 'Delete your message') : null,
      h('span', { class: 'action-error', role: 'alert', testid: 'action-error' }));
  }

  function startReply(message) {
    replyingTo = message;
    banner.replaceChildren(
      h('span', { class: 'reply-to', testid: 'reply-banner-text' }, `Replying to ${message.senderName}: `,
        h('span', { class: 'reply-excerpt' }, message.text || message.media?.fileName || 'a file')),
      h('button', { type: 'button', class: 'icon', 'aria-label': 'Cancel the reply', testid: 'reply-cancel', onclick: cancelReply }, '×'));
    banner.hidden = false;
    input.focus();
  }

  function cancelReply() {
    replyingTo = null;
    banner.hidden = true;
    banner.replaceChildren();
  }

  function startEdit(item, message) {
    if (item.querySelector('.edit-form')) return;
    const box = h('textarea', { name: 'text', rows: 2, 'aria-label': 'New text of your message', testid: 'edit-input' });
    box.value = message.text;
    const error = h('span', { class: 'action-error', role: 'alert', testid: 'edit-error' });
    // Back to the Edit button, so a keyboard user goes on from where they were.
    const cancel = () => {
      form.remove();
      item.querySelector('[data-action="edit"]')?.focus();
    };
    const form = h('form', { class: 'edit-form', testid: 'edit-form' },
      box,
      h('div', { class: 'edit-buttons' },
        h('button', { type: 'submit', class: 'primary small', testid: 'edit-save' }, 'Save'),
        h('button', { type: 'button', class: 'quiet small', testid: 'edit-cancel', onclick: cancel }, 'Cancel'),
        error));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      try {
        // The answer redraws the message, which takes this form away.
        onChanged(await api.editMessage(message.id, box.value));
      } catch (problem) {
        error.textContent = describe(problem);
      }
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') cancel();
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      form.requestSubmit();
    });
    item.querySelector('.message-actions').before(form);
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  // A second click deletes, so a stray click does not (a confirm() dialog would block the page and the tests).
  async function confirmDelete(button, message) {
    if (button.dataset.confirm !== 'armed') {
      button.dataset.confirm = 'armed';
      button.textContent = 'Click again to delete';
      button.addEventListener('blur', () => {
        delete button.dataset.confirm;
        button.textContent = 'Delete';
      }, { once: true });
      return;
    }
    onChanged(await api.deleteMessage(message.id));
  }

  list.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    const item = button?.closest('li[data-id]');
    const message = item && messageOf(item.dataset.id);
    if (!message) return;
    const error = item.querySelector('.message-actions .action-error');
    error.textContent = '';
    try {
      if (button.dataset.action === 'reply') startReply(message);
      else if (button.dataset.action === 'edit') startEdit(item, message);
      else if (button.dataset.action === 'delete') await confirmDelete(button, message);
    } catch (problem) {
      error.textContent = describe(problem);
    }
  });

  return {
    toolbar,
    /** The id of the message the next send answers, if a reply is under way. */
    get replyToId() {
      return replyingTo?.id ?? null;
    },
    cancelReply,
  };
}
