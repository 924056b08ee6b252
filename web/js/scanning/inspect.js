// The first detection in the browser (ContentInspector.cs): the structural checks (one read), then one
// more read, 256 KiB at a time, for the feature library, embedded content and the content id. The file
// passes when there is no finding at all.

import { startEmbedded } from './embedded.js';
import { matchFindings, startMatch, toHex } from './matcher.js';
import { checkStructure, DEFAULT_LIMITS } from './structure.js';

const READ_BYTES = 256 * 1024;

/**
 * @typedef {{ code: string, detector: string, detail: string }} Finding
 * @typedef {{ contentId: string, size: number, format: string, payloads: { start: number, length: number }[], libraryVersion: number, findings: Finding[], passed: boolean }} Inspection
 * @param {Blob} file
 * @param {ReturnType<import('./matcher.js').compileMatcher>} matcher the local library, compiled
 * @param {{ declaredMediaType?: string, fileName?: string, limits?: object, signal?: AbortSignal }} [options]
 * @returns {Promise<Inspection>}
 */
export async function inspectFile(file, matcher, { declaredMediaType, fileName = file.name, limits = DEFAULT_LIMITS, signal } = {}) {
  const structure = await checkStructure(file, declaredMediaType || undefined, fileName, limits);
  signal?.throwIfAborted();
  const features = startMatch(matcher, structure.payloads);
  // An attachment's own format may hold archives, fonts and scripts (a .docx is a ZIP of many entries).
  const embedded = structure.attachment ? null : startEmbedded(structure.format);
  for (let offset = 0; offset < file.size; offset += READ_BYTES) {
    signal?.throwIfAborted();
    const bytes = new Uint8Array(await file.slice(offset, offset + READ_BYTES).arrayBuffer());
    features.feed(bytes);
    embedded?.feed(bytes);
  }
  const hits = features.finish();
  const findings = [...structure.findings, ...(embedded?.finish() ?? []), ...matchFindings(matcher, hits)];
  return {
    contentId: `sha256:${toHex(features.fileDigest)}`,
    size: file.size,
    format: structure.format,
    payloads: structure.payloads,
    libraryVersion: matcher.version,
    findings,
    passed: findings.length === 0,
  };
}
