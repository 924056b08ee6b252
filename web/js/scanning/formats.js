// What a file's first bytes say it is, and whether that agrees with its declared media type and its
// name (FormatSniffer.cs, MediaFormat.cs and StructureChecks.CheckType in src/Parley.Core/Scanning).

export const HEAD_LENGTH = 4096;

const MEDIA = {
  png: { type: 'image/png', extensions: ['.png'], what: 'a PNG picture' },
  jpeg: { type: 'image/jpeg', extensions: ['.jpg', '.jpeg', '.jpe', '.jfif'], what: 'a JPEG picture' },
  gif: { type: 'image/gif', extensions: ['.gif'], what: 'a GIF picture' },
  webp: { type: 'image/webp', extensions: ['.webp'], what: 'a WebP picture' },
  svg: { type: 'image/svg+xml', extensions: ['.svg'], what: 'an SVG drawing' },
  mp4: { type: 'video/mp4', extensions: ['.mp4', '.m4v', '.mov', '.m4a'], what: 'an MP4 video' },
  quicktime: { type: 'video/quicktime', extensions: ['.mov', '.qt', '.mp4'], what: 'a QuickTime video' },
  webm: { type: 'video/webm', extensions: ['.webm', '.mkv'], what: 'a WebM/Matroska video' },
  ogg: { type: 'audio/ogg', extensions: ['.ogg', '.oga', '.opus'], what: 'an Ogg audio file' },
  flac: { type: 'audio/flac', extensions: ['.flac'], what: 'a FLAC audio file' },
  wav: { type: 'audio/wav', extensions: ['.wav'], what: 'a WAV audio file' },
  mp3: { type: 'audio/mpeg', extensions: ['.mp3'], what: 'an MP3 audio file' },
};

const OTHER = {
  zip: 'a ZIP archive', rar: 'a RAR archive', sevenzip: 'a 7z archive', gzip: 'a gzip stream',
  elf: 'an ELF executable', pe: 'a Windows (PE) executable', macho: 'a Mach-O executable',
  pdf: 'a PDF document', html: 'an HTML page', script: 'a script',
};

export const isMedia = (format) => format in MEDIA;
/** Executables, HTML pages and scripts: never shared, whatever they claim to be. */
const isRefused = (format) => ['elf', 'pe', 'macho', 'html', 'script'].includes(format);
export const describeFormat = (format) => MEDIA[format]?.what ?? OTHER[format] ?? 'of no known format';

const starts = (head, magic) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
const startsText = (head, text, at = 0) => head.length >= at + text.length && [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/** @param {Uint8Array} head the first HEAD_LENGTH bytes (fewer for a smaller file) @returns {string} the format's name, 'unknown' when none */
export function identify(head) {
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsText(head, 'GIF87a') || startsText(head, 'GIF89a')) return 'gif';
  if (head.length >= 12 && startsText(head, 'RIFF') && startsText(head, 'WEBP', 8)) return 'webp';
  if (head.length >= 12 && startsText(head, 'ftyp', 4)) return startsText(head, 'qt  ', 8) ? 'quicktime' : 'mp4';
  if (head.length >= 8 && ['moov', 'mdat', 'wide'].some((box) => startsText(head, box, 4))) return 'quicktime';
  if (starts(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'webm';
  if (startsText(head, 'OggS')) return 'ogg';
  if (startsText(head, 'fLaC')) return 'flac';
  if (head.length >= 12 && startsText(head, 'RIFF') && startsText(head, 'WAVE', 8)) return 'wav';
  if (startsText(head, 'ID3') || isMp3FrameHeader(head)) return 'mp3';
  if (starts(head, [0x50, 0x4b, 3, 4]) || starts(head, [0x50, 0x4b, 5, 6])) return 'zip';
  if (starts(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (starts(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'sevenzip';
  if (starts(head, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (starts(head, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  if (startsText(head, 'MZ')) return 'pe';
  if (head.length >= 4 && [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]].some((m) => starts(head, m))) return 'macho';
  if (startsText(head, '%PDF-')) return 'pdf';
  return identifyText(head);
}

/** An MPEG audio layer III frame header at byte 0 (FormatSniffer.IsMp3FrameHeader): not JPEG's FF D8, not UTF-16's FF FE. */
function isMp3FrameHeader(head) {
  if (head.length < 3 || head[0] !== 0xff || (head[1] & 0xe0) !== 0xe0) return false;
  const bitrate = head[2] >> 4;
  return ((head[1] >> 3) & 3) !== 1 && ((head[1] >> 1) & 3) === 1 && bitrate !== 0 && bitrate !== 15 && ((head[2] >> 2) & 3) !== 3;
}

/** Text formats by their first element, after a byte order mark, white space, an XML declaration, comments and a doctype. */
function identifyText(head) {
  if (starts(head, [0xef, 0xbb, 0xbf])) head = head.subarray(3);
  let text = latin1(head).replace(/^\s+/, '').toLowerCase();
  if (text.startsWith('#!') || text.startsWith('<?php')) return 'script';
  const after = (end) => {
    const at = text.indexOf(end);
    return at >= 0 ? text.slice(at + end.length).replace(/^\s+/, '') : '';
  };
  while (true) {
    if (text.startsWith('<?xml')) text = after('?>');
    else if (text.startsWith('<!--')) text = after('-->');
    else if (text.startsWith('<!doctype svg')) {
      const open = text.indexOf('[');
      text = after(open >= 0 && open < text.indexOf('>') ? ']>' : '>');
    } else break;
  }
  if (text.startsWith('<svg')) return 'svg';
  return ['<!doctype html', '<html', '<head', '<body', '<script', '<iframe'].some((tag) => text.startsWith(tag)) ? 'html' : 'unknown';
}

/** One character per byte (ISO-8859-1), as C#'s Encoding.Latin1. */
export function latin1(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function accepts(format, mediaType) {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  if (format === 'mp4' || format === 'quicktime') return ['video/mp4', 'video/quicktime', 'audio/mp4', 'audio/x-m4a'].includes(type);
  if (format === 'webm') return ['video/webm', 'audio/webm', 'video/x-matroska'].includes(type);
  if (format === 'jpeg') return ['image/jpeg', 'image/jpg', 'image/pjpeg'].includes(type);
  if (format === 'ogg') return ['audio/ogg', 'audio/opus', 'video/ogg'].includes(type);
  if (format === 'flac') return ['audio/flac', 'audio/x-flac'].includes(type);
  if (format === 'wav') return ['audio/wav', 'audio/x-wav', 'audio/vnd.wave', 'audio/wave'].includes(type);
  if (format === 'mp3') return ['audio/mpeg', 'audio/mp3'].includes(type);
  return MEDIA[format]?.type === type;
}

/** .NET's Path.GetExtension: from the last dot of the last path segment, '' when none or at the end. */
function extensionOf(name) {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 || dot === base.length - 1 ? '' : base.slice(dot);
}

/** A file claims media when its declared type is image/*, video/* or audio/*, or its extension is a media format's. */
export function claimsMedia(declaredMediaType, fileName) {
  const type = (declaredMediaType ?? '').trim().toLowerCase();
  if (['image/', 'video/', 'audio/'].some((family) => type.startsWith(family))) return true;
  const extension = extensionOf(fileName ?? '').toLowerCase();
  return extension !== '' && Object.values(MEDIA).some((media) => media.extensions.includes(extension));
}

/** No media format and no claim to be media: no embedded-content search (MediaFormats.IsAttachment). */
export const isAttachment = (format, declaredMediaType, fileName) => !isMedia(format) && !claimsMedia(declaredMediaType, fileName);

/** The type rule (docs/scanning.md, "Type"; StructureChecks.CheckType). */
export function checkType(format, declaredMediaType, fileName) {
  const finding = (code, detail) => ({ code, detector: 'type', detail });
  const what = describeFormat(format);
  if (!isMedia(format)) {
    if (claimsMedia(declaredMediaType, fileName)) {
      return format === 'unknown'
        ? [finding('type.unknown', "The file's first bytes are of no picture, video or audio format Parley knows.")]
        : [finding('type.mismatch', `The file is really ${what}, not a picture, video or audio.`)];
    }
    return isRefused(format) ? [finding('type.mismatch', `The file is really ${what}: Parley does not share executables, HTML pages or scripts.`)] : [];
  }
  const findings = [];
  if (declaredMediaType?.trim() && !accepts(format, declaredMediaType)) {
    findings.push(finding('type.mismatch', `The file is declared as ${declaredMediaType.trim()} but its bytes are ${what}.`));
  }
  const extension = extensionOf(fileName ?? '');
  if (extension && !MEDIA[format].extensions.includes(extension.toLowerCase())) {
    findings.push(finding('type.mismatch', `The file is named '${fileName.slice(fileName.lastIndexOf('/') + 1)}' but its bytes are ${what}.`));
  }
  return findings;
}
