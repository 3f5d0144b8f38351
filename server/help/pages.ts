import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Article, ArticleHit } from '../../knowledge/types';
import { html, raw, type Raw } from './html';

const CATEGORY_NAMES: Record<string, string> = {
  billing: 'Billing and payments',
  plans: 'Plans and cancellation',
  refunds: 'Refunds',
  account: 'Account and login',
  integrations: 'Integrations',
  troubleshooting: 'Troubleshooting',
  privacy: 'Privacy and security',
};

export const categoryName = (id: string) => CATEGORY_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);

/** Article Markdown → HTML, sanitised: authors are trusted-ish, but a pasted <script> is not. */
export function renderMarkdown(markdown: string): string {
  const unsafe = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(unsafe, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
}

const STYLE = `
:root{--ink:#1b1f24;--muted:#57606a;--brand:#2557d6;--line:#d8dee4;--bg:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink);background:#fff}
a{color:var(--brand)}header.site{background:#0f2a66;color:#fff;padding:1.25rem 1rem}header.site a{color:#fff;text-decoration:none;font-weight:600}
.wrap{max-width:860px;margin:0 auto;padding:0 1rem}form.search{display:flex;gap:.5rem;margin:1rem 0}
form.search input{flex:1;padding:.6rem .8rem;border:1px solid #8c959f;border-radius:6px;font:inherit}
button,.button{padding:.55rem 1rem;border-radius:6px;border:1px solid #0f2a66;background:#0f2a66;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#fff;color:#0f2a66}main{padding:1.5rem 0 3rem}.cats{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:1rem}
.cat{border:1px solid var(--line);border-radius:8px;padding:1rem}.cat h2{font-size:1.1rem;margin:.2rem 0 .5rem}.cat ul{margin:0;padding-left:1.1rem}
.muted{color:var(--muted)}.crumbs{font-size:.9rem;margin-bottom:.5rem}article table{border-collapse:collapse}article td,article th{border:1px solid var(--line);padding:.3rem .6rem}
.feedback{margin-top:2rem;padding:1rem;border:1px solid var(--line);border-radius:8px;background:var(--bg)}.feedback form{display:inline}
.results li{margin-bottom:.75rem}:focus-visible{outline:3px solid #f0b400;outline-offset:2px}`;

export function layout(title: string, body: Raw, options: { query?: string } = {}): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Tidyflow Help Center</title><style>${raw(STYLE)}</style></head>
<body><header class="site"><div class="wrap"><a href="/help">Tidyflow Help Center</a></div></header>
<main class="wrap" id="main">
<form class="search" action="/help/search" method="get" role="search"><label for="q" class="muted" style="position:absolute;left:-9999px">Search the help center</label>
<input id="q" name="q" type="search" placeholder="Search articles, e.g. reset password" value="${options.query ?? ''}" maxlength="200"><button type="submit">Search</button></form>
${body}</main></body></html>`.value}`;
}

export function homePage(articles: Article[]): string {
  const byCategory = new Map<string, Article[]>();
  for (const a of articles) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
  return layout(
    'Help Center',
    html`<h1>How can we help?</h1><div class="cats">${[...byCategory].map(
      ([cat, list]) => html`<section class="cat" aria-labelledby="cat-${cat}"><h2 id="cat-${cat}">${categoryName(cat)}</h2><ul>${list.map(
        (a) => html`<li><a href="/help/articles/${a.id}" lang="${a.locale}">${a.title}</a></li>`,
      )}</ul></section>`,
    )}</div>`,
  );
}

export function searchPage(query: string, hits: ArticleHit[], summaries: Map<string, string>): string {
  return layout(
    `Search: ${query}`,
    html`<h1>Results for “${query}”</h1>${
      hits.length === 0
        ? html`<p>No articles matched. Try other words, or <a href="/">chat with us</a>.</p>`
        : html`<ol class="results">${hits.map((h) => html`<li><a href="/help/articles/${h.articleId}">${h.title}</a><br><span class="muted">${summaries.get(h.articleId) ?? ''}</span></li>`)}</ol>`
    }`,
    { query },
  );
}

export function articlePage(article: Article, thanks: boolean): string {
  return layout(
    article.title,
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="/help">Help Center</a> › ${categoryName(article.category)}</nav>
<article lang="${article.locale}"><h1>${article.title}</h1><p class="muted">${article.summary}</p>${raw(renderMarkdown(article.body))}</article>
<section class="feedback" aria-live="polite">${
      thanks
        ? html`<p>Thanks for your feedback!</p>`
        : html`<p id="fb">Was this article helpful?</p>
<form method="post" action="/help/articles/${article.id}/feedback"><input type="hidden" name="helpful" value="yes"><button type="submit" aria-describedby="fb">Yes</button></form>
<form method="post" action="/help/articles/${article.id}/feedback"><input type="hidden" name="helpful" value="no"><button type="submit" class="secondary" aria-describedby="fb">No</button></form>`
    }</section>`,
  );
}
