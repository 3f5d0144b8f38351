import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';

/**
 * Reader for Rasa NLU training data (YAML format, `version: "3.1"`):
 *
 *   version: "3.1"
 *   nlu:
 *   - intent: greet
 *     examples: |
 *       - hi
 *       - I want to fly to [Paris](city)
 *   responses:            # optional, Rasa domain style
 *     utter_greet:
 *     - text: "Hello!"
 *
 * `synonym`, `regex` and `lookup` items are skipped; entity annotations are reduced to their
 * text. Any problem is a `RasaFormatError` whose message names the file and the item.
 */

export class RasaFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'RasaFormatError';
  }
}

export interface RasaIntent {
  name: string;
  examples: string[];
}

export interface RasaNluData {
  intents: RasaIntent[];
  /** `utter_x` → first text variant. */
  responses: Record<string, string>;
}

// [text](entity), [text]{"entity": "x"}, [text]{...}(...)
const ENTITY_ANNOTATION = /\[([^\]\n]*)\](?:\([^)\n]*\)|\{[^}\n]*\})+/g;

/** `I want to fly to [Paris](city)` → `I want to fly to Paris`. */
export function stripEntityAnnotations(text: string): string {
  return text.replace(ENTITY_ANNOTATION, '$1');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseExamples(file: string, intent: string, raw: unknown): string[] {
  let lines: string[];
  if (typeof raw === 'string') {
    lines = raw.split(/\r?\n/);
  } else if (Array.isArray(raw)) {
    // Also accept a YAML list of strings or of `{text: ...}` (Rasa's "examples with metadata").
    lines = raw.map((item, i) => {
      if (typeof item === 'string') return '- ' + item;
      if (isRecord(item) && typeof item.text === 'string') return '- ' + item.text;
      throw new RasaFormatError(file, `intent "${intent}": example #${i + 1} is neither text nor {text: ...}`);
    });
  } else {
    throw new RasaFormatError(file, `intent "${intent}": "examples" must be a block of "- text" lines`);
  }
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t.length === 0) continue;
    if (!t.startsWith('-')) {
      throw new RasaFormatError(file, `intent "${intent}": example line does not start with "- ": ${JSON.stringify(t.slice(0, 80))}`);
    }
    const text = stripEntityAnnotations(t.slice(1).trim()).trim();
    if (text.length > 0) out.push(text);
  }
  return out;
}

function parseResponses(file: string, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new RasaFormatError(file, '"responses" must be a mapping of utter_name → list of {text}');
  const out: Record<string, string> = {};
  for (const [name, variants] of Object.entries(raw)) {
    const list = Array.isArray(variants) ? variants : [variants];
    const first = list.find((v) => typeof v === 'string' || (isRecord(v) && typeof v.text === 'string'));
    if (first === undefined) throw new RasaFormatError(file, `response "${name}" has no text variant`);
    out[name] = typeof first === 'string' ? first : String((first as Record<string, unknown>).text);
  }
  return out;
}

/** Parse Rasa NLU YAML source. `file` is used in error messages only. */
export function parseRasaNlu(source: string, file = '<input>'): RasaNluData {
  let doc: unknown;
  try {
    doc = parse(source, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const detail = err instanceof YAMLParseError || err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new RasaFormatError(file, `invalid YAML: ${detail}`);
  }
  if (!isRecord(doc)) throw new RasaFormatError(file, 'expected a mapping with "version" and "nlu" at the top level');
  if (doc.version !== undefined && typeof doc.version !== 'string' && typeof doc.version !== 'number') {
    throw new RasaFormatError(file, '"version" must be a string such as "3.1"');
  }
  const nlu = doc.nlu ?? [];
  if (!Array.isArray(nlu)) throw new RasaFormatError(file, '"nlu" must be a list of items such as "- intent: NAME"');

  const byName = new Map<string, RasaIntent>();
  nlu.forEach((item: unknown, i: number) => {
    if (!isRecord(item)) throw new RasaFormatError(file, `nlu item #${i + 1} is not a mapping`);
    if ('synonym' in item || 'regex' in item || 'lookup' in item) return;
    if (!('intent' in item)) {
      throw new RasaFormatError(file, `nlu item #${i + 1} has none of intent, synonym, regex, lookup`);
    }
    const name = item.intent;
    if (typeof name !== 'string' || name.trim().length === 0) {
      throw new RasaFormatError(file, `nlu item #${i + 1}: "intent" must be a non-empty string`);
    }
    const examples = parseExamples(file, name, item.examples);
    const existing = byName.get(name.trim());
    if (existing) existing.examples.push(...examples);
    else byName.set(name.trim(), { name: name.trim(), examples });
  });
  const intents = [...byName.values()];
  const empty = intents.find((i) => i.examples.length === 0);
  if (empty) throw new RasaFormatError(file, `intent "${empty.name}" has no examples`);
  return { intents, responses: parseResponses(file, doc.responses) };
}

/** Read and parse a Rasa NLU YAML file. */
export function readRasaNlu(path: string): RasaNluData {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RasaFormatError(path, `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseRasaNlu(source, path);
}

