// A video message in the timeline: a <video controls> player whose play is a counted play (docs/views.md, "Web
// client"). Pressing play starts a play with the server (play-session.js), downloads the play's stream with fetch,
// counting the bytes (a progress bar meanwhile), plays it from a blob: URL and reports on schedule until the video
// ends; then the play ends and its verdict is shown. "N views" under the video follows the server.

import { describe, formatBytes, h } from '../ui.js';
import { reportOnSchedule } from './play-reporter.js';
import { startPlay } from './play-session.js';
import { refusalNotice, verdictNotice, viewsInWords } from './view-words.js';

// Refusals of a report after which the play's record is final: it says more than the refusal.
const CLOSED_BY_SERVER = new Set(['view.report_rejected', 'view.play_ended']);

/** What the server counts views of (StartPlay refuses other types with view.not_video). */
export const isCountedVideo = (media) => media.mediaType === 'video/mp4' || media.mediaType === 'video/webm';

/**
 * @param {object} options
 * @param {ReturnType<import('../api.js').createApi>} options.api
 * @param {{ id: string, media: { size: number, mediaType: string } }} options.message
 * @param {string} options.name the file's name, the player's accessible name
 * @param {string} options.userName whose device key signs the play's start
 * @param {(element: Element, load: () => void) => void} options.whenNear runs load when the element scrolls near
 */
export function createVideoPlayer({ api, message, name, userName, whenNear }) {
  const video = h('video', { controls: true, preload: 'none', 'aria-label': name, testid: 'video' });
  const start = h('button', { type: 'button', class: 'video-start', 'aria-label': `Play ${name}`, testid: 'video-play' }, '▶ Play');
  const progress = h('progress', { class: 'upload-progress', max: message.media.size || 1, value: 0, 'aria-label': `Downloading ${name}`, hidden: true, testid: 'video-progress' });
  const status = h('span', { class: 'video-status', role: 'status', testid: 'video-status' });
  const views = h('span', { class: 'video-views', role: 'status', testid: 'video-views' });
  const figure = h('figure', { class: 'media-video', 'data-state': 'idle', testid: 'media-video' },
    h('div', { class: 'video-frame' }, video, start),
    progress,
    status,
    h('figcaption', { class: 'media-caption' },
      h('span', { class: 'media-name', testid: 'media-name' }, name),
      h('span', { class: 'media-size' }, formatBytes(message.media.size)),
      views));

  let play = null; // { session, reporter, abort } while a play lasts
  let url = null; // the last play's video, on the element until the next play or until the message leaves
  let disposed = false;

  const setState = (state) => { figure.dataset.state = state; };

  async function begin() {
    if (play || disposed) return;
    start.hidden = true;
    setState('starting');
    status.replaceChildren('Starting…');
    const current = { session: null, reporter: null, abort: new AbortController() };
    play = current;
    try {
      current.session = await startPlay(api, { media: message.id, userName });
      if (disposed) {
        current.session.end().catch(() => {});
        return;
      }
      let received = 0;
      current.reporter = reportOnSchedule({ session: current.session, video, bytesDownloaded: () => received, onRefused: (error) => stopped(current, error) });
      setState('downloading');
      const blob = await download(current, (bytes, total) => {
        received = bytes;
        progress.hidden = false;
        progress.max = total || 1;
        progress.value = bytes;
        status.textContent = `Downloading… ${Math.floor((bytes / (total || 1)) * 100)}%`;
      });
      progress.hidden = true;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(blob);
      video.src = url;
      setState('playing');
      status.replaceChildren();
      // The press that started it is the user's gesture; a browser that lets it lapse during the download wants another.
      await video.play().catch(() => { status.textContent = 'Downloaded: press play to watch.'; });
    } catch (error) {
      if (!disposed) stopped(current, error);
    }
  }

  /** Fetches the play's stream, reading the body chunk by chunk to count what arrived. */
  async function download(current, onProgress) {
    const response = await fetch(current.session.started.streamUrl, { signal: current.abort.signal });
    if (!response.ok) throw Object.assign(new Error(`The stream answered ${response.status}.`), { code: (await response.json().catch(() => ({}))).code });
    const total = Number(response.headers.get('Content-Length')) || current.session.started.size;
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received, total);
    }
    return new Blob(chunks, { type: current.session.started.mediaType });
  }

  /** The play is over: the video ended, or a refusal (start, stream, report) ended it. */
  async function stopped(current, error) {
    if (play !== current) return;
    current.abort.abort();
    current.reporter?.stop();
    progress.hidden = true;
    if (error) {
      setState('failed');
      status.replaceChildren(error.code ? refusalNotice(error) : `The play failed: ${describe(error)}`);
      // A refused report left an illegal record behind, a closed play one as it stood: show it.
      if (CLOSED_BY_SERVER.has(error.code) && current.session) showRecord(await current.session.end().catch(() => null));
    }
    resetAfter(current);
  }

  async function ended() {
    const current = play;
    if (!current?.reporter) return;
    setState('ended');
    try {
      showRecord(await current.reporter.finish());
    } catch (error) {
      status.replaceChildren(refusalNotice(error));
    }
    resetAfter(current);
    loadViews();
  }

  function showRecord(record) {
    if (record) status.replaceChildren(verdictNotice(record));
  }

  // Playing again, with the button or the element's control, is a new play, counted on its own.
  function resetAfter(current) {
    if (play !== current) return;
    play = null;
    start.hidden = false;
    start.textContent = '▶ Play again';
  }

  async function loadViews() {
    try {
      setViews((await api.views(message.id)).views);
    } catch {
      views.textContent = '';
    }
  }

  function setViews(count) {
    views.textContent = viewsInWords(count);
  }

  start.addEventListener('click', begin);
  // The element's own play control (keyboard: Space on the focused player) when no play is under way.
  video.addEventListener('play', () => {
    if (play) return;
    video.pause();
    begin();
  });
  video.addEventListener('ended', ended);
  whenNear(figure, loadViews);

  return {
    element: figure,
    setViews,
    /** The message left the page: stop downloading and reporting, end an open play (the user closed it), free the blob. */
    dispose() {
      disposed = true;
      const current = play;
      play = null;
      if (url) URL.revokeObjectURL(url);
      if (!current) return;
      current.abort.abort();
      current.reporter?.finish().catch(() => {});
    },
  };
}
