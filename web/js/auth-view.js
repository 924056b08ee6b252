// The sign-in / create-account form shown to a signed-out visitor. Both buttons submit the same
// fields; which one was pressed decides the action, and Enter means "Sign in".

import { byId, guard, whileBusy } from './ui.js';

/** @param {{ onSubmit: (action: 'sign-in'|'register', userName: string, password: string) => Promise<void> }} options */
export function mountAuthView({ onSubmit }) {
  const view = byId('auth');
  const form = byId('auth-form');

  form.addEventListener('submit', guard(async (event) => {
    event.preventDefault();
    const action = event.submitter?.value === 'register' ? 'register' : 'sign-in';
    // Read before whileBusy disables the fields: disabled fields are left out of FormData.
    const { userName, password } = Object.fromEntries(new FormData(form));
    await whileBusy(form, () => onSubmit(action, userName, password));
    form.reset();
  }));

  return {
    show() {
      view.hidden = false;
      form.elements.userName.focus();
    },
    hide() {
      view.hidden = true;
    },
  };
}
