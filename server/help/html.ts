/** Escaped HTML templating: interpolated values are text unless wrapped in `raw()`. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export class Raw {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string) => new Raw(value);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const render = (v: unknown): string => (v instanceof Raw ? v.value : Array.isArray(v) ? v.map(render).join('') : v === undefined || v === null || v === false ? '' : escapeHtml(v));
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}
