/**
 * The one Markdown subset every chat message is written in — agents, the bot, customers — and
 * the one renderer the widget, the console, the help centre and email share.
 *
 * Supported: paragraphs (blank line), line breaks, `- ` / `* ` and `1. ` lists, **bold**,
 * *italic* / _italic_, `code`, [text](https://…) links and bare https://… / www.… / e-mail
 * autolinks. Everything else is text. The parser returns a tree of plain objects, never HTML:
 * preact renders it as elements (so nothing a customer typed can become markup), and
 * `markdownToHtml` escapes every text node. Only http(s) and mailto links survive.
 * Dependency-free and small, because the widget's panel has a size budget.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'b' | 'i'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'a'; href: string; c: Inline[] };

export type Block = { t: 'p'; c: Inline[] } | { t: 'ul' | 'ol'; items: Inline[][] };

const BULLET = /^\s*[-*•]\s+/;
const NUMBER = /^\s*\d{1,3}[.)]\s+/;

/** Only these schemes become links; anything else (javascript:, data:) stays text. */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (/^mailto:[^\s@]+@[^\s@]+$/i.test(url)) return url;
  if (/^www\./i.test(url)) return `https://${url}`;
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** Parse a message into blocks. */
export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l, i, all) => l.trim() || (i > 0 && i < all.length - 1));
    if (!lines.length) continue;
    let para: string[] = [];
    let list: { t: 'ul' | 'ol'; items: Inline[][] } | null = null;
    const flushPara = () => {
      if (para.length) blocks.push({ t: 'p', c: inlineLines(para) });
      para = [];
    };
    for (const line of lines) {
      const kind = BULLET.test(line) ? 'ul' : NUMBER.test(line) ? 'ol' : null;
      if (kind) {
        flushPara();
        if (!list || list.t !== kind) blocks.push((list = { t: kind, items: [] }));
        list.items.push(parseInline(line.replace(kind === 'ul' ? BULLET : NUMBER, '')));
      } else if (list && /^\s{2,}\S/.test(line)) {
        // An indented line continues the list item above it.
        list.items[list.items.length - 1]!.push({ t: 'br' }, ...parseInline(line.trim()));
      } else {
        list = null;
        para.push(line);
      }
    }
    flushPara();
  }
  return blocks;
}

function inlineLines(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ t: 'br' });
    out.push(...parseInline(line));
  });
  return out;
}

// One pass over the text: the earliest of these wins at each position.
const TOKEN =
  /(`[^`\n]+`)|(\[[^\]\n]+\]\([^)\s]+\))|(\*\*[^*\n]+?\*\*|__[^_\n]+?__)|((?:\*[^*\s][^*\n]*?\*|_[^_\s][^_\n]*?_)(?=$|[\s.,;:!?)]))|((?:https?:\/\/|www\.)[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;

/** Parse one line of inline Markdown. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const push = (v: string) => {
    if (!v) return;
    const last = out[out.length - 1];
    if (last?.t === 'text') last.v += v;
    else out.push({ t: 'text', v });
  };
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    push(text.slice(at, start));
    const [all, code, link, bold, italic, auto] = m;
    at = start + all.length;
    if (code) out.push({ t: 'code', v: code.slice(1, -1) });
    else if (link) {
      const [, label = '', target = ''] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(link) ?? [];
      const href = safeHref(target);
      if (href) out.push({ t: 'a', href, c: parseInline(label) });
      else push(label);
    } else if (bold) out.push({ t: 'b', c: parseInline(bold.slice(2, -2)) });
    else if (italic) {
      // snake_case_words and 2*3*4 are not emphasis: only at the start of a word.
      if (start > 0 && /[\w*]/.test(text[start - 1]!)) push(italic);
      else out.push({ t: 'i', c: parseInline(italic.slice(1, -1)) });
    }
    else if (auto) {
      // Trailing punctuation ends a sentence, not the URL.
      const trail = /[.,;:!?)\]'"]+$/.exec(auto)?.[0] ?? '';
      const core = auto.slice(0, auto.length - trail.length);
      const href = safeHref(core.includes('@') && !/^(https?:|www\.)/i.test(core) ? `mailto:${core}` : core);
      if (href) out.push({ t: 'a', href, c: [{ t: 'text', v: core }] });
      else push(core);
      push(trail);
    }
  }
  push(text.slice(at));
  return out;
}

/** Plain text of a message (notifications, previews, subjects): the markup characters removed. */
export function markdownToText(text: string): string {
  const inline = (c: Inline[]): string => c.map((n) => (n.t === 'text' || n.t === 'code' ? n.v : n.t === 'br' ? '\n' : n.t === 'a' ? `${inline(n.c)}${n.href.replace(/^mailto:/, '') === inline(n.c) ? '' : ` (${n.href})`}` : inline(n.c))).join('');
  return parseMarkdown(text)
    .map((b) => (b.t === 'p' ? inline(b.c) : b.items.map((item, i) => `${b.t === 'ul' ? '•' : `${i + 1}.`} ${inline(item)}`).join('\n')))
    .join('\n\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Safe HTML for the console, the help centre and email bodies. Every text node is escaped. */
export function markdownToHtml(text: string): string {
  const inline = (c: Inline[]): string =>
    c
      .map((n) => {
        switch (n.t) {
          case 'text':
            return esc(n.v);
          case 'br':
            return '<br>';
          case 'code':
            return `<code>${esc(n.v)}</code>`;
          case 'b':
            return `<strong>${inline(n.c)}</strong>`;
          case 'i':
            return `<em>${inline(n.c)}</em>`;
          case 'a':
            return `<a href="${esc(n.href)}" target="_blank" rel="noopener noreferrer nofollow">${inline(n.c)}</a>`;
        }
      })
      .join('');
  return parseMarkdown(text)
    .map((b) => (b.t === 'p' ? `<p>${inline(b.c)}</p>` : `<${b.t}>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${b.t}>`))
    .join('');
}
