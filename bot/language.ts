/**
 * Which language a customer wrote in, by the `eld` detector (n-gram statistics, pure JavaScript,
 * its "small" database bundled in the package). The bot is trained in the help centre's language
 * (English); a question in another language is answered from articles in that language when
 * there are any, and otherwise handed to the team with the language on the ticket.
 */
import { eld } from 'eld/small';

/** The bot's own language: messages detected as this (or as nothing) take the normal path. */
export const DEFAULT_LANGUAGE = 'en';
/**
 * Fewer words than this are never re-routed: "api token", "refund" or "hello" carry too few
 * letters for any detector, and are far more often the help centre's own words than another language.
 */
const MIN_WORDS = 3;

/** ISO 639-1 code of the text's language when it is reliably not English; undefined otherwise. */
export function foreignLanguage(text: string): string | undefined {
  const sample = text.slice(0, 500);
  if (sample.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < MIN_WORDS) return undefined;
  const result = eld.detect(sample);
  if (!result.language || result.language === DEFAULT_LANGUAGE || !result.isReliable()) return undefined;
  return result.language;
}
