// The operators' page (docs/scanning.md, "Verdicts and operators"): shown when GET /api/scanning/me says
// operator: true. It lists the quarantined media (each with a release button), the recent verdicts of
// the second detection (passed or blocked, who shared it, the reasons, each detector's time), and
// imports a rules file (POST /api/scanning/library), showing the new version and the skipped lines.

import { dialogPage, formatBytes, h } from '../ui.js';
import { reasonList } from './refusal-view.js';

/** @param {{ api: ReturnType<import('../api.js').createApi> }} options @returns {{ stop: () => void }} */
export function startOperatorPage({ api }) {
  const page = dialogPage('operator-open', 'operator', refresh);
  const { part, showError } = page;
  let stopped = false;

  api.scanningAccount().then(({ operator }) => {
    if (!stopped) page.button.hidden = !operator;
  }).catch(() => {});

  async function refresh() {
    showError(null);
    try {
      const [quarantines, verdicts] = await Promise.all([api.quarantines(), api.verdicts(50)]);
      part('quarantines').replaceChildren(...quarantines.map(quarantineItem));
      part('quarantines-empty').hidden = quarantines.length > 0;
      part('verdicts').replaceChildren(...verdicts.map(verdictItem));
      part('verdicts-empty').hidden = verdicts.length > 0;
    } catch (error) {
      showError(error);
    }
  }

  function quarantineItem(quarantine) {
    const release = h('button', { type: 'button', class: 'small', testid: 'operator-release', 'aria-label': `Release ${quarantine.contentId}` }, 'Release');
    release.addEventListener('click', async () => {
      release.disabled = true;
      try {
        await api.releaseQuarantine(quarantine.contentId);
        await refresh();
      } catch (error) {
        release.disabled = false;
        showError(error);
      }
    });
    return h('li', { testid: 'operator-quarantine', 'data-content-id': quarantine.contentId },
      h('p', {}, h('code', {}, shortId(quarantine.contentId)), ` quarantined ${when(quarantine.at)}, library version ${quarantine.libraryVersion}, in ${quarantine.roomIds.length} ${quarantine.roomIds.length === 1 ? 'room' : 'rooms'}`),
      reasonList(quarantine.reasons, 'operator-quarantine-reasons'),
      release);
  }

  function verdictItem(verdict) {
    const timings = verdict.timings.map((t) => `${t.detector} ${t.milliseconds.toFixed(1)} ms`).join(', ');
    return h('li', { testid: 'operator-verdict', 'data-passed': String(verdict.passed) },
      h('p', {},
        h('strong', {}, verdict.passed ? 'Passed' : 'Blocked'),
        ` ${verdict.fileName ?? shortId(verdict.contentId)} (${verdict.mediaType}) from ${verdict.userName}, ${when(verdict.at)}, library version ${verdict.libraryVersion}`),
      verdict.findings.length > 0 ? reasonList(verdict.findings, 'operator-verdict-reasons') : null,
      timings ? h('p', { class: 'muted small-text' }, `Timings: ${timings}`) : null);
  }

  async function importRules(event) {
    event.preventDefault();
    const [file] = part('import-form').elements.rules.files;
    if (!file) return;
    const result = part('import-result');
    result.replaceChildren(`Importing ${file.name} (${formatBytes(file.size)})…`);
    try {
      const answer = await api.importFeatures(file.name, await file.text());
      result.replaceChildren(
        h('p', { testid: 'operator-import-version' }, `Added ${answer.added} ${answer.added === 1 ? 'feature' : 'features'}; the library is at version ${answer.version}.`),
        answer.skipped.length > 0
          ? h('ul', { testid: 'operator-import-skipped' }, answer.skipped.map((skip) => h('li', {}, `Line ${skip.line} skipped: ${skip.reason}`)))
          : null);
    } catch (error) {
      result.replaceChildren();
      showError(error);
    }
  }

  part('import-form').addEventListener('submit', importRules);

  return {
    stop() {
      stopped = true;
      page.stop();
    },
  };
}

const shortId = (contentId) => `${contentId.slice(0, 19)}…`;
const when = (at) => new Date(at).toLocaleString();
