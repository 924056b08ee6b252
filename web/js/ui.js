// DOM helpers shared by the views. User text only ever reaches the page as text nodes or attribute
// values (h() never parses HTML), so a message or a name cannot inject markup.

/**
 * Creates an element. Attributes named on<event> become listeners, `testid` becomes data-testid,
 * true becomes an empty attribute, and null/undefined/false leave the attribute out.
 * Children may be nodes, strings, numbers or (nested) arrays of them.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'testid') element.dataset.testid = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export const byId = (id) => document.getElementById(id);

const MAX_VISIBLE_PROBLEMS = 4;

/**
 * Shows a message in the problems area until the user dismisses it. Refusals are not auto-hidden:
 * someone who looked away should still find out why their action did not happen.
 * @param {unknown} problem an ApiError (its detail is shown), an Error, or a string
 */
export function showProblem(problem, { kind = 'error' } = {}) {
  // Said once already, by the sign-in page the user was returned to (see main.js).
  if (problem?.endedSession) return;
  const area = byId('problems');
  const detail = describe(problem);
  // Several calls failing for one cause (the server out of reach) say one thing: the newer notice replaces the older.
  for (const shown of area.querySelectorAll('[data-testid="problem"]')) {
    if (shown.dataset.code === problem?.code && shown.querySelector('[data-testid="problem-detail"]')?.textContent === detail) shown.remove();
  }
  const toast = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', testid: 'problem', 'data-code': problem?.code },
    h('p', { testid: 'problem-detail' }, detail),
    h('button', { type: 'button', class: 'icon', 'aria-label': 'Dismiss', testid: 'problem-dismiss', onclick: () => toast.remove() }, '×'));
  area.append(toast);
  while (area.children.length > MAX_VISIBLE_PROBLEMS) area.firstElementChild.remove();
}

/** Takes back what was said about a cause that is gone (code 'network' once the server answers again, say). */
export function clearProblems(code) {
  for (const toast of byId('problems').querySelectorAll(`[data-code="${CSS.escape(code)}"]`)) toast.remove();
}

export function describe(problem) {
  if (typeof problem === 'string') return problem;
  return problem?.detail || problem?.message || 'Something went wrong.';
}

/**
 * A modal page that a sidebar button opens (the devices page, the operators' page): its parts by data-role, its
 * error line (data-role="error"), and the wiring of the button and its close button; onOpen runs at each opening.
 * @param {string} buttonId @param {string} dialogId @param {() => void} onOpen
 */
export function dialogPage(buttonId, dialogId, onOpen) {
  const button = byId(buttonId);
  const dialog = byId(dialogId);
  const part = (role) => dialog.querySelector(`[data-role="${role}"]`);
  const open = () => {
    dialog.showModal();
    onOpen();
  };
  const close = () => dialog.close();
  button.addEventListener('click', open);
  part('close').addEventListener('click', close);
  return {
    button,
    dialog,
    part,
    /** Shows a problem (with its code) on the page, or hides the line when given nothing. */
    showError(error) {
      const box = part('error');
      box.hidden = !error;
      box.textContent = error ? `${describe(error)}${error.code ? ` (${error.code})` : ''}` : '';
    },
    stop() {
      button.removeEventListener('click', open);
      part('close').removeEventListener('click', close);
      if (dialog.open) dialog.close();
    },
  };
}

/**
 * Wraps an event handler so that whatever it throws (typically an ApiError) is shown to the user
 * instead of vanishing into the console.
 */
export function guard(handler) {
  return async (...args) => {
    try {
      await handler(...args);
    } catch (error) {
      showProblem(error);
    }
  };
}

/**
 * Disables a form's controls while its action runs, so a double click or a repeated Enter does not
 * send the same request twice.
 */
export async function whileBusy(form, action) {
  const controls = [...form.elements].filter((control) => !control.disabled);
  controls.forEach((control) => { control.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    controls.forEach((control) => { control.disabled = false; });
    form.removeAttribute('aria-busy');
  }
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** A short label for a message time (the day is added once it is not today) and a full one for its tooltip. */
export function formatTime(iso) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return { short: (today ? timeOfDay : dayAndTime).format(date), full: fullDate.format(date) };
}

/** A round badge with the name's initial, its colour derived from the name so it stays the same everywhere. */
export function avatar(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  const badge = h('span', { class: 'avatar', 'aria-hidden': 'true' }, name.slice(0, 1).toUpperCase());
  // Set through CSSOM, which a Content-Security-Policy without 'unsafe-inline' still allows.
  badge.style.setProperty('--hue', String(hash % 360));
  return badge;
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];

/** A size for people: "12 bytes", "340 kB", "2.5 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes) {
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // "12 byte" reads oddly; the long form says "12 bytes", and the larger units read best short.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit > 0 && value < 10 ? 1 : 0,
  }).format(value);
}

/** A rough duration: "8 sec", "3 min", "2 hr". */
export function formatDuration(seconds) {
  const [value, unit] = seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).format(Math.max(1, value));
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * A 24×24 line icon from path data. (h() makes HTML elements; SVG needs its own namespace.)
 * Decorative: the button or link around it carries the accessible name.
 */
export function icon(...paths) {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    viewBox: '0 0 24 24', width: '20', height: '20', fill: 'none', stroke: 'currentColor',
    'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: 'icon-svg',
  })) svg.setAttribute(name, value);
  for (const d of paths) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Icon path data, shared by the views that draw them. */
export const ICONS = {
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  upload: ['M12 20V9', 'M7 14l5-5 5 5', 'M5 4h14'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
};

/**
 * Saves a blob as a file named fileName, the way a download link would.
 * The object URL is revoked a little later, not at once: the browser reads it after the click returns.
 */
export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
