/**
 * Where one message may hold two questions: "How do I change my email address and also update
 * my credit card?" Each split point gives the two halves; the matcher answers both only when
 * each half is confidently about a different topic on its own.
 */

/** Joints between two questions: sentence ends, semicolons, and joining words. */
const JOINTS = /[?.!;]+\s+|\s+(?:and also|and then|as well as|and|also|plus)\s+/gi;
/** A half shorter than this is not a question ("and also" at the very start, "… and me"). */
const MIN_WORDS = 2;
/** Most split points tried: each costs one classification of both halves. */
const MAX_SPLITS = 3;

export function splitQuestion(text: string): [string, string][] {
  const s = text.slice(0, 500);
  const out: [string, string][] = [];
  for (const m of s.matchAll(JOINTS)) {
    const a = s.slice(0, m.index).trim();
    const b = s.slice(m.index + m[0].length).trim();
    const count = (x: string) => x.split(/\s+/).filter(Boolean).length;
    if (count(a) >= MIN_WORDS && count(b) >= MIN_WORDS) out.push([a, b]);
    if (out.length >= MAX_SPLITS) break;
  }
  return out;
}
