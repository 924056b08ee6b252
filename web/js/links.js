// Web addresses in message text become links. Only http and https ones: text such as javascript:
// or data: addresses stays text, whatever its case or disguise, because a link is made only from
// what parses as an http(s) URL. A link opens in a new tab that cannot reach back to this page
// (noopener) and is not told where it came from (noreferrer).

import { h } from './ui.js';

const ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence is rarely part of the address before it.
const TRAILING_PUNCTUATION = /[.,;:!?'"\]}>]+$/;

/** The text as strings and <a> elements, for h() to append (never parsed as HTML). */
export function linkify(text) {
  const parts = [];
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = trim(match[0]);
    const url = parseHttp(address);
    if (!url) continue;
    parts.push(text.slice(from, match.index));
    parts.push(h('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer', testid: 'message-link' }, address));
    from = match.index + address.length;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part !== '');
}

/** Drops sentence punctuation after an address, and a closing parenthesis that closes text around it. */
function trim(candidate) {
  let address = candidate.replace(TRAILING_PUNCTUATION, '');
  while (address.endsWith(')') && count(address, ')') > count(address, '(')) address = address.slice(0, -1).replace(TRAILING_PUNCTUATION, '');
  return address;
}

const count = (text, character) => text.split(character).length - 1;

function parseHttp(address) {
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
