// Media in the timeline. Pictures are shown inline, videos in a player whose plays are counted views
// (views/video-player.js), everything else as a file card with a download
// button that streams the file to disk with progress (media-download.js). Media is read with the session's token (an <img src> could not send it) and shown from
// blob: URLs, which the page's Content-Security-Policy allows; every URL made here is revoked when
// its message leaves the page.

import { saveMedia } from './media-download.js';
import { reasonInWords, reasonList } from './scanning/refusal-view.js';
import { describe, formatBytes, h, icon, ICONS, saveBlob, showProblem } from './ui.js';
import { createVideoPlayer, isCountedVideo } from './views/video-player.js';

// Pictures load this far ahead of scrolling into view, so they are usually there when they arrive.
const PRELOAD_MARGIN = '600px 0px';
// A picture bigger than this is offered as a download instead: fetching it just to show a
// thumbnail would cost the reader more than it is worth.
const INLINE_MAX_BYTES = 25 * 1000 * 1000;
// What the server serves inline (docs/transfer.md); SVG is never shown: it can carry script.
const isInlinePicture = (media) => media.mediaType.startsWith('image/') && media.mediaType !== 'image/svg+xml' && media.size <= INLINE_MAX_BYTES;

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {HTMLElement} options.scroller the element the timeline scrolls in
 * @param {HTMLDialogElement} options.lightbox where a picture opens larger
 * @param {{ userName: string }} options.me whose device key signs the start of a video's play
 */
export function createMediaView({ api, scroller, lightbox, me }) {
  const box = createLightbox(lightbox);
  const urls = new Set();
  // Aborted by clear(): a picture still on its way for messages that left the page is not wanted.
  let loads = new AbortController();
  const pending = new Map(); // placeholder element → its loader, until it scrolls near
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      pending.get(entry.target)?.();
      pending.delete(entry.target);
    }
  }, { root: scroller, rootMargin: PRELOAD_MARGIN });
  const whenNear = (element, load) => {
    pending.set(element, load);
    observer.observe(element);
  };
  // message id → its players, to follow live view counts and to stop on clear(). A redraw of a message (an edited
  // caption) renders a new player but keeps the old element on the page, so a player is dropped only once its
  // element has left the page.
  const videos = new Map();

  /** The media part of a message: a picture, a file card, or the notice that a scan removed it. */
  function render(message) {
    const { media } = message;
    if (media.quarantined) return quarantineNotice(media);
    // Without a name, the server names the download after the content id too.
    const name = media.fileName ?? media.contentId.slice('sha256:'.length);
    if (isCountedVideo(media)) return video(message, name);
    return isInlinePicture(media) ? picture(message, name) : fileCard(message, name);
  }

  function video(message, name) {
    const players = videos.get(message.id) ?? new Set();
    for (const player of players) {
      if (player.element.isConnected) continue;
      player.dispose();
      players.delete(player);
    }
    const player = createVideoPlayer({ api, message, name, userName: me.userName, whenNear });
    videos.set(message.id, players.add(player));
    return player.element;
  }

  function picture(message, name) {
    const { media } = message;
    const image = h('img', { alt: name, testid: 'media-image' });
    const frame = h('button', { type: 'button', class: 'media-frame', 'aria-label': `Open ${name}`, disabled: true }, image);
    const status = h('span', { class: 'media-status', role: 'status' });
    const figure = h('figure', { class: 'media-picture', 'data-state': 'waiting', testid: 'media-picture' },
      frame,
      status,
      h('figcaption', { class: 'media-caption' },
        h('span', { class: 'media-name', testid: 'media-name' }, name),
        h('span', { class: 'media-size' }, formatBytes(media.size)),
        media.broadcast ? verifiedMark() : null));
    let blob = null;
    let url = null;

    async function load() {
      figure.dataset.state = 'loading';
      status.replaceChildren();
      const { signal } = loads;
      try {
        blob = await api.media(message.id, { signal });
        if (signal.aborted) return;
        url = URL.createObjectURL(blob);
        urls.add(url);
        image.src = url;
      } catch (error) {
        if (signal.aborted) return;
        figure.dataset.state = 'failed';
        status.replaceChildren(`Could not load the picture: ${describe(error)} `,
          h('button', { type: 'button', class: 'quiet small', onclick: load }, 'Try again'));
      }
    }

    image.addEventListener('load', () => {
      figure.dataset.state = 'loaded';
      frame.disabled = false;
    });
    // A type the browser cannot draw (TIFF, HEIC, …): the file is still there to download.
    image.addEventListener('error', () => {
      urls.delete(url);
      URL.revokeObjectURL(url);
      figure.replaceWith(fileCard(message, name));
    });
    frame.addEventListener('click', () => box.open({ url, blob, name, size: media.size }));
    whenNear(figure, load);
    return figure;
  }

  function fileCard(message, name) {
    const { media } = message;
    const download = h('button', { type: 'button', class: 'file-download', 'aria-label': `Download ${name}`, title: 'Download', testid: 'file-download' },
      icon(...ICONS.download));
    const progress = h('progress', { class: 'upload-progress', max: media.size || 1, value: 0, 'aria-label': `Downloading ${name}`, hidden: true, testid: 'download-progress' });
    const status = h('span', { class: 'file-meta', role: 'status', testid: 'download-status' });
    download.addEventListener('click', async () => {
      download.disabled = true;
      download.setAttribute('aria-busy', 'true');
      status.textContent = '';
      try {
        const saved = await saveMedia({
          api, messageId: message.id, name, size: media.size,
          onProgress(received, total) {
            progress.hidden = false;
            progress.max = total || 1;
            progress.value = received;
            status.textContent = `Downloading… ${Math.floor((received / (total || 1)) * 100)}% of ${formatBytes(total)}`;
          },
        });
        status.textContent = saved ? 'Saved' : '';
      } catch (error) {
        status.textContent = '';
        showProblem(error);
      } finally {
        progress.hidden = true;
        download.disabled = false;
        download.removeAttribute('aria-busy');
      }
    });
    return h('div', { class: 'file-card', testid: 'file-card' },
      h('span', { class: 'file-badge', 'aria-hidden': 'true' }, badgeText(name)),
      h('span', { class: 'file-info' },
        h('span', { class: 'file-name', testid: 'file-name', title: name }, name),
        h('span', { class: 'file-meta' }, `${formatBytes(media.size)} · ${media.mediaType}`),
        media.broadcast ? verifiedMark() : null,
        status,
        progress),
      download);
  }

  return {
    render,
    /** Live viewCounted {roomId, media, views}: the count under that video, if it is on the page. */
    viewCounted: (event) => videos.get(event.media)?.forEach((player) => player.setViews(event.views)),
    /** Every message left the page: stop loading, forget the pictures, free their memory. */
    clear() {
      loads.abort();
      loads = new AbortController();
      observer.disconnect();
      pending.clear();
      box.close();
      for (const url of urls) URL.revokeObjectURL(url);
      urls.clear();
      for (const players of videos.values()) players.forEach((player) => player.dispose());
      videos.clear();
    },
  };
}

/** Marks a picture that came as a signed broadcast: the server checked its ticket before anyone saw it. */
const verifiedMark = () => h('span', { class: 'media-verified', testid: 'media-verified', title: 'Signed broadcast: the server verified its ticket' },
  icon(...ICONS.check), 'Verified broadcast');

/** The file's extension as a short label ("PDF", "ZIP"), or FILE when it has none worth showing. */
/** Quarantined media is not served (451 media.quarantined): the notice says why, with the reasons when the live event gave them. */
function quarantineNotice(media) {
  const reasons = media.quarantineReasons ?? [];
  const found = reasons.length > 0 ? [...new Set(reasons.map((reason) => reasonInWords(reason).toLowerCase()))].join('; ') : 'a problem in it';
  return h('div', { class: 'media-quarantined', role: 'note', testid: 'media-quarantined' },
    h('p', {}, `Removed: a security scan found ${found}. `, h('span', { class: 'media-name' }, media.fileName ?? '')),
    reasons.length > 0 ? reasonList(reasons, 'quarantine-reasons') : null);
}

function badgeText(name) {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1) : '';
  return extension.length >= 1 && extension.length <= 4 ? extension.toUpperCase() : 'FILE';
}

/** A picture at full size over the page; Escape, the close button or a click outside it closes it. */
function createLightbox(dialog) {
  const image = dialog.querySelector('[data-role="image"]');
  const caption = dialog.querySelector('[data-role="caption"]');
  let current = null;

  dialog.querySelector('[data-role="close"]').addEventListener('click', () => dialog.close());
  dialog.querySelector('[data-role="download"]').addEventListener('click', () => saveBlob(current.blob, current.name));
  // A click on the backdrop lands on the dialog itself; clicks on its content land on their own elements.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    current = null;
    image.removeAttribute('src');
  });

  return {
    /** @param {{ url: string, blob: Blob, name: string, size: number }} picture */
    open(picture) {
      current = picture;
      image.src = picture.url;
      image.alt = picture.name;
      caption.replaceChildren(
        h('span', { class: 'media-name', testid: 'lightbox-name' }, picture.name),
        h('span', { class: 'media-size' }, formatBytes(picture.size)));
      dialog.showModal();
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}
