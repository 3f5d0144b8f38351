/**
 * Text as it is stored, whatever the channel. PostgreSQL refuses NUL in text while SQLite
 * keeps it, so removing it at the edge is what makes both backends behave alike.
 */

// C0/C1 controls other than tab and newline, lone surrogates and the non-characters U+FFFE/U+FFFF
// carry no meaning in a chat message.
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Unwanted characters removed, nothing else changed: what the edge does to every input string. */
export function stripUnwanted(text: string): string {
  return text.replace(UNWANTED, '');
}

/** Customer or agent text as stored: unwanted characters removed, trimmed. */
export function cleanText(text: string): string {
  return stripUnwanted(text).replace(/\r\n?/g, '\n').trim();
}

/** Size as the limit counts it: UTF-8 bytes, the same in every channel and for agents. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
