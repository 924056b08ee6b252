// How a refused share reads, in place next to the send: "Not sent: NAME", then each reason in words
// people understand with the detector's sentence and the stable code; "(server scan)" when the
// server's second detection refused it. The same words serve quarantine notices.

import { h } from '../ui.js';

const WORDS = {
  'type.mismatch': 'It is not the kind of file it claims to be',
  'type.unknown': 'It is not a picture, video or audio Parley can check',
  'data.after_end': 'Something is hidden after the end of the picture',
  'embedded.archive': 'An archive is hidden inside it',
  'embedded.executable': 'A program is hidden inside it',
  'embedded.html': 'A web page is hidden inside it',
  'embedded.script': 'A script is hidden inside it',
  'embedded.pdf': 'A PDF document is hidden inside it',
  'svg.script': 'The drawing can run script',
  'svg.external_reference': 'The drawing loads things from elsewhere',
  'dimensions.too_large': 'It claims to be too many pixels to open safely',
  'structure.truncated': 'The file is cut short',
  'structure.malformed': 'The file is damaged or built wrongly',
  'feature.match': 'It matches a known threat',
  'decoder.failed': 'A picture, video or audio reader could not open it',
  'decoders.disagree': 'Two readers see different pictures in it',
  'decoder.abnormal': 'Opening it made a reader misbehave',
  'clamav.match': 'The virus scanner recognised it',
  'scan.unavailable': 'The server could not check it',
};

/** @param {{ code: string, detail?: string }} finding */
export const reasonInWords = (finding) => WORDS[finding.code] ?? 'A security check refused it';

/** The list of reasons, one item each: words, the detector's sentence, the code. */
export function reasonList(findings, testid = 'scan-reasons') {
  return h('ul', { class: 'scan-reasons', testid },
    findings.map((finding) => h('li', { testid: 'scan-reason', 'data-code': finding.code },
      `${reasonInWords(finding)}. `, finding.detail ? `${finding.detail} ` : '', h('code', {}, finding.code))));
}

/** @param {import('./scanner.js').ShareBlocked} blocked */
export function refusalNotice(blocked) {
  const server = blocked.stage === 'server';
  return h('div', { class: 'scan-refusal', role: 'alert', testid: 'scan-refusal', 'data-stage': blocked.stage },
    h('p', { class: 'scan-refusal-title', testid: 'scan-refusal-title' }, `Not sent: ${blocked.fileName}${server ? ' (server scan)' : ''}`),
    blocked.findings.length > 0
      ? reasonList(blocked.findings)
      : h('p', {}, server ? 'The server\'s security scan refused it.' : 'A security check refused it.'));
}
