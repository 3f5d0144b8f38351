/**
 * Canned-response placeholders: `{{customer.name}}`, `{{agent.name}}`,
 * `{{customer.attributes.plan}}` … expanded on the client before the text goes into the reply box.
 *
 * - Unknown placeholders (and values that are not strings, numbers or booleans) become "".
 * - Only own properties are followed, so `{{customer.constructor}}` cannot reach the prototype.
 * - One pass: a value that itself contains `{{…}}` is inserted as is, never expanded again.
 * - The result is plain text for a textarea; nothing here is ever parsed as HTML.
 */

export interface PlaceholderContext {
  customer?: { name?: string | null; email?: string | null; attributes?: Record<string, unknown> | null } | null;
  agent?: { name?: string | null; email?: string | null } | null;
  [key: string]: unknown;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function lookup(ctx: unknown, path: string): unknown {
  let value: unknown = ctx;
  for (const key of path.split('.')) {
    if (key === '' || value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function expandPlaceholders(template: string, ctx: PlaceholderContext): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => {
    const value = lookup(ctx, path);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    return '';
  });
}

/** The placeholders a template uses, for the picker's preview ("uses customer.name, agent.name"). */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Insert `text` into `value` replacing the selection [start, end); returns the new value and caret. */
export function insertAt(value: string, start: number | null, end: number | null, text: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start ?? value.length, value.length));
  const e = Math.max(s, Math.min(end ?? s, value.length));
  const before = value.slice(0, s);
  const after = value.slice(e);
  // Keep inserted blocks on their own line when the box already has text before the caret.
  const sep = before !== '' && !before.endsWith('\n') && !before.endsWith(' ') ? ' ' : '';
  const next = before + sep + text + after;
  return { value: next, caret: before.length + sep.length + text.length };
}
