// How the play of a video reads to people: a refusal to start or to take a report, and a play's verdict, in
// words with the stable code beside them (docs/views.md lists every code).

import { h } from '../ui.js';

const REFUSALS = {
  'view.not_video': 'This file is not a video Parley can count views of',
  'view.not_playable': 'The server could not read this video\'s length or bitrate, so it cannot be played here',
  'view.share_invalid': 'The server refused this browser\'s key for the play',
  'view.signature_invalid': 'The server did not accept this browser\'s device signature; sign out and in again',
  'view.play_not_found': 'The server no longer knows this play',
  'view.play_ended': 'The server already closed this play',
  'view.report_malformed': 'The server could not read a report of this play',
  'view.report_rejected': 'The server rejected a report of this play',
  'view.key_mismatch': 'The server could not prove it is the server this browser knows',
  'view.no_device': 'This browser has no device key to start a play with',
  'media.not_found': 'The video is no longer there',
  'media.quarantined': 'A security scan removed this video',
};

const REASONS = {
  'view.undecryptable': 'a sealed report did not open with the play\'s key',
  'view.counter_replayed': 'a report was sent twice or out of order',
  'view.report_early': 'a report came sooner than its period allows',
  'view.traffic_out_of_range': 'the traffic does not fit the video\'s bitrate and the time watched',
  'view.position_too_fast': 'the position moved faster than the video plays',
  'view.traffic_mismatch': 'the reported traffic is more than the server sent',
  'view.download_shared': 'one download was used for several plays',
  'view.reports_disagree': 'the plain reports contradict the sealed ones',
  'view.key_reused': 'the play\'s key was already used by another play',
  'view.sealed_missing': 'no sealed report came',
  'view.plain_missing': 'no plain report came although one was due',
  'view.expired': 'the reports stopped coming',
  'view.ended': 'the play ended',
};

/** A refusal's sentence: the words for its code, or the server's own detail for a code not listed here. */
export const refusalInWords = (error) => `${REFUSALS[error?.code] ?? error?.detail ?? error?.message ?? 'The play failed'}.`;

export const reasonInWords = (code) => REASONS[code] ?? 'a check failed';

/** A refusal shown in place: words, the server's explanation when it adds one, the code. */
export function refusalNotice(error) {
  const reason = error?.problem?.reason;
  return h('span', { class: 'view-refusal', testid: 'video-refusal', 'data-code': error?.code },
    refusalInWords(error), ' ',
    reason ? [`(${reasonInWords(reason)}) `, h('code', {}, reason), ' '] : null,
    error?.code ? h('code', {}, error.code) : null);
}

/**
 * What became of a play that ended: counted as a view, not counted (too little watched), or illegal with each failed
 * check in words and code.
 * @param {{ verdict: string, reasons: string[], counted: boolean, watchedShare: number }} record
 */
export function verdictNotice(record) {
  if (record.verdict !== 'illegal') {
    const text = record.counted ? 'Counted as a view.' : `Not counted: ${Math.round(record.watchedShare * 100)}% of the video was watched.`;
    return h('span', { testid: 'video-verdict', 'data-verdict': record.verdict }, text);
  }
  const failed = record.reasons.filter((reason) => reason !== 'view.ended' && reason !== 'view.expired');
  return h('span', { class: 'view-refusal', testid: 'video-verdict', 'data-verdict': record.verdict },
    'Not counted: this play broke the rules.',
    h('ul', { class: 'scan-reasons', testid: 'video-reasons' },
      failed.map((reason) => h('li', { 'data-code': reason }, `${capitalise(reasonInWords(reason))}. `, h('code', {}, reason)))));
}

const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** "1 view", "12 views". */
export const viewsInWords = (views) => `${views} ${views === 1 ? 'view' : 'views'}`;
