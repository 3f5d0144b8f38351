import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Article, ArticleHit } from '../../knowledge/types';
import { palette } from '../../widget/src/brand';
import { markdownToHtml } from '../domain/markdown';
import { html, raw, type Raw } from './html';
import { DEFAULT_BRANDING } from '../domain/branding';
import { categoryName, helpLang, type HelpLang, helpWords } from './words';

export { categoryName } from './words';

/** Article Markdown → HTML, sanitised: authors are trusted-ish, but a pasted <script> is not. */
export function renderMarkdown(markdown: string): string {
  const unsafe = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(unsafe, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
}

/** What every page needs to know about the site it belongs to. */
export interface HelpSite {
  /** "Help centre", or what the operator configured. */
  name: string;
  /** Absolute base for canonical links, Open Graph and the sitemap, e.g. https://support.example.com */
  baseUrl: string;
  /** The widget key the help pages embed (the same snippet as the site), if any. */
  widgetKey: string | undefined;
  /** This response's CSP nonce. */
  nonce: string;
  brandColor: string;
  /** The chrome's language for this request's pages that are not one article (Accept-Language, else DEFAULT_LOCALE). */
  lang: HelpLang;
  /** Who answers the chat now, as the widget's presence line says it: online, away (reply by email), away (reply in the chat). */
  reply: 'online' | 'away' | 'awayHere';
}

/** The default name ("Help centre") speaks the page's language; a name the operator chose stays as written. */
const siteName = (site: HelpSite, t: T): string => (site.name === DEFAULT_BRANDING.helpCentreName ? t('helpCentre') : site.name);

/** "Still need help?" text that follows availability, like the widget's header. */
const replyText = (site: HelpSite, t: T): string => t(site.reply === 'online' ? 'stillNeedHelpText' : site.reply === 'away' ? 'stillNeedHelpAway' : 'stillNeedHelpAwayHere');

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;background:#fff}
a{color:var(--ink)}.wrap{max-width:920px;margin:0 auto;padding:0 1rem}
header.site{background:var(--brand);color:var(--on);padding:1rem 0}header.site a{color:var(--on);text-decoration:none;font-weight:650;font-size:1.1rem}
header.site .wrap{display:flex;justify-content:space-between;align-items:center;gap:1rem}header.site nav a{font-weight:500;font-size:.95rem}
.hero{background:var(--brand);color:var(--on);padding:2rem 0 2.5rem;margin-top:-1.5rem}h1{font-size:1.75rem;line-height:1.25}.hero h1{margin:0 0 .25rem;font-size:2rem}.hero p{margin:0 0 1rem;opacity:.95}
form.search{display:flex;gap:.5rem;margin:1rem 0}form.search input{flex:1;min-width:0;padding:.7rem .9rem;border:1px solid #8c959f;border-radius:8px;font:inherit;background:#fff;color:#1b1f24}
.hero form.search input{border-color:transparent;box-shadow:0 2px 10px rgba(0,0,0,.15);font-size:1.05rem}
button,.button{display:inline-block;padding:.6rem 1rem;border-radius:8px;border:1px solid var(--ink);background:var(--ink);color:#fff;font:inherit;cursor:pointer;text-decoration:none;line-height:1.3}
.hero button{background:#fff;color:var(--ink);border-color:#fff}button.secondary{background:#fff;color:var(--ink)}
main{padding:1.5rem 0 3rem}h2{font-size:1.25rem;margin:1.5rem 0 .75rem}
.cats{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:1rem;padding:0;list-style:none;margin:0}
.cat{border:1px solid #d8dee4;border-radius:12px;padding:1rem 1.1rem}.cat h3{font-size:1.05rem;margin:0 0 .1rem}.cat h3 a{text-decoration:none}
.cat ul{margin:.5rem 0 0;padding-left:1.1rem;font-size:.95rem}.cat .more{display:inline-block;margin-top:.4rem;font-size:.9rem}
.muted{color:#57606a}.crumbs{font-size:.9rem;margin-bottom:.5rem}.popular{columns:2 280px;padding-left:1.1rem}.popular li{margin-bottom:.4rem;break-inside:avoid}
article table{border-collapse:collapse}article td,article th{border:1px solid #d8dee4;padding:.3rem .6rem}
.box{margin-top:2rem;padding:1rem 1.25rem;border:1px solid #d8dee4;border-radius:12px;background:#f6f8fa}.box form{display:inline}.box p{margin:.25rem 0 .75rem}
.sum p{margin:.1rem 0 0}.lead p{margin:0 0 1rem}.results{padding-left:1.25rem}.results li{margin-bottom:1rem}.results a{font-weight:600}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}.sr{position:absolute;left:-9999px}
@media (max-width:600px){.hero h1{font-size:1.5rem}}`;

type T = ReturnType<typeof helpWords>;

interface Page {
  site: HelpSite;
  lang: HelpLang;
  title: string;
  description: string;
  /** Path for the canonical link, e.g. /help/articles/x; omitted for pages that should not be indexed. */
  path?: string;
  body: Raw;
  /** The home page puts its search in the hero instead of the bar. */
  heroSearch?: boolean;
  query?: string;
  ogType?: 'website' | 'article';
}

function searchForm(t: T, query = ''): Raw {
  return html`<form class="search" action="/help/search" method="get" role="search"><label for="q" class="sr">${t('searchLabel')}</label>
<input id="q" name="q" type="search" placeholder="${t('placeholder')}" value="${query}" maxlength="200"><button type="submit">${t('search')}</button></form>`;
}

/** The button that opens the chat on this very page (the widget's command queue). */
export const chatButton = (t: T, secondary = false): Raw => html`<button type="button" class="${secondary ? 'secondary' : ''}" data-open-chat>${t('chat')}</button>`;

export function layout(page: Page): string {
  const { site, lang } = page;
  const t = helpWords(lang);
  const p = palette(site.brandColor);
  const canonical = page.path ? site.baseUrl + page.path : undefined;
  const name = siteName(site, t);
  const full = page.title === name ? name : `${page.title} · ${name}`;
  const widget = site.widgetKey
    ? html`<script nonce="${site.nonce}">window.answerdesk=window.answerdesk||function(){(answerdesk.q=answerdesk.q||[]).push(arguments)};
document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('[data-open-chat]');if(b){e.preventDefault();answerdesk('open')}});</script>
<script src="/widget.js" data-answerdesk-key="${site.widgetKey}" data-locale="${lang}" nonce="${site.nonce}" async></script>`
    : html``;
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${full}</title><meta name="description" content="${page.description}">
${canonical ? html`<link rel="canonical" href="${canonical}"><meta property="og:url" content="${canonical}">` : html`<meta name="robots" content="noindex">`}
<meta property="og:type" content="${page.ogType ?? 'website'}"><meta property="og:title" content="${page.title}"><meta property="og:description" content="${page.description}">
<meta property="og:site_name" content="${name}"><meta property="og:locale" content="${lang}"><meta name="twitter:card" content="summary">
<style>:root{--brand:${p.brand};--on:${p.on};--ink:${p.ink}}${raw(STYLE)}</style></head>
<body><header class="site"><div class="wrap"><a href="/help">${name}</a><nav aria-label="${name}"><a href="/help/search">${t('search')}</a></nav></div></header>
${page.heroSearch ? html`` : html`<div class="wrap">${searchForm(t, page.query)}</div>`}
<main id="main">${page.body}</main>${widget}</body></html>`.value}`;
}

/** Summaries are written in the chat's Markdown subset: the same renderer as every message. */
const summary = (text: string): Raw => raw(markdownToHtml(text));

const articleLink = (a: Article) => html`<a href="/help/articles/${a.id}" lang="${a.locale}">${a.title}</a>`;

function popularList(t: T, popular: Article[]): Raw {
  if (popular.length === 0) return html``;
  return html`<section aria-labelledby="popular"><h2 id="popular">${t('popular')}</h2><ul class="popular">${popular.map((a) => html`<li>${articleLink(a)}</li>`)}</ul></section>`;
}

export function homePage(site: HelpSite, articles: Article[], popular: Article[]): string {
  const { lang } = site;
  const t = helpWords(lang);
  const byCategory = new Map<string, Article[]>();
  for (const a of articles) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
  return layout({
    site,
    lang,
    title: siteName(site, t),
    description: `${t('heroSub')} ${[...byCategory.keys()].map((c) => categoryName(c, lang)).join(', ')}.`,
    path: '/help',
    heroSearch: true,
    body: html`<section class="hero"><div class="wrap"><h1>${t('hero')}</h1><p>${t('heroSub')}</p>${searchForm(t)}</div></section>
<div class="wrap">${popularList(t, popular)}
<section aria-labelledby="topics"><h2 id="topics">${t('categories')}</h2><ul class="cats">${[...byCategory].map(
      ([cat, list]) => html`<li class="cat"><h3><a href="/help/categories/${cat}">${categoryName(cat, lang)}</a></h3><span class="muted">${t('articles', { n: list.length })}</span>
<ul>${list.slice(0, 3).map((a) => html`<li>${articleLink(a)}</li>`)}</ul>${list.length > 3 ? html`<a class="more" href="/help/categories/${cat}">${t('seeAll', { n: list.length })}</a>` : html``}</li>`,
    )}</ul></section>
<section class="box" aria-labelledby="still"><h2 id="still">${t('stillNeedHelp')}</h2><p>${replyText(site, t)}</p>${chatButton(t)}</section></div>`,
  });
}

export function categoryPage(site: HelpSite, category: string, articles: Article[]): string {
  const { lang } = site;
  const t = helpWords(lang);
  return layout({
    site,
    lang,
    title: categoryName(category, lang),
    description: articles
      .slice(0, 5)
      .map((a) => a.title)
      .join(' · '),
    path: `/help/categories/${category}`,
    body: html`<div class="wrap"><nav class="crumbs" aria-label="Breadcrumb"><a href="/help">${siteName(site, t)}</a> › ${categoryName(category, lang)}</nav><h1>${categoryName(category, lang)}</h1>
<ul class="results">${articles.map((a) => html`<li>${articleLink(a)}<div class="muted sum" lang="${a.locale}">${summary(a.summary)}</div></li>`)}</ul></div>`,
  });
}

export function searchPage(site: HelpSite, query: string, hits: ArticleHit[], byId: Map<string, Article>, popular: Article[]): string {
  const t = helpWords(site.lang);
  const q = query.trim();
  let body: Raw;
  if (!q) {
    body = html`<h1>${t('search')}</h1><p>${t('emptySearch')}</p>${popularList(t, popular)}`;
  } else if (hits.length === 0) {
    body = html`<h1>${t('resultsFor', { q })}</h1><section class="box" aria-labelledby="none"><h2 id="none">${t('noResults', { q })}</h2><p>${t('noResultsHelp')}</p>${chatButton(t)}</section>${popularList(t, popular)}`;
  } else {
    body = html`<h1>${t('resultsFor', { q })}</h1><p class="muted" role="status">${t('resultCount', { n: hits.length })}</p><ol class="results">${hits.map(
      // Each result in its own language (a French article on an English page is read as French).
      (h) => {
        const a = byId.get(h.articleId);
        return html`<li><a href="/help/articles/${h.articleId}" lang="${a?.locale ?? site.lang}">${h.title}</a><div class="muted sum" lang="${a?.locale ?? site.lang}">${summary(a?.summary ?? '')}</div></li>`;
      },
    )}</ol><section class="box"><p>${replyText(site, t)}</p>${chatButton(t, true)}</section>`;
  }
  return layout({ site, lang: site.lang, title: q ? t('resultsFor', { q }) : t('search'), description: t('heroSub'), query: q, body: html`<div class="wrap">${body}</div>` });
}

export function articlePage(site: HelpSite, article: Article, thanks: boolean, related: Article[]): string {
  const lang = helpLang(article.locale);
  const t = helpWords(lang);
  return layout({
    site,
    lang,
    title: article.title,
    description: article.summary,
    path: `/help/articles/${article.id}`,
    ogType: 'article',
    body: html`<div class="wrap"><nav class="crumbs" aria-label="Breadcrumb"><a href="/help">${siteName(site, t)}</a> › <a href="/help/categories/${article.category}">${categoryName(article.category, lang)}</a></nav>
<article><h1>${article.title}</h1><div class="muted sum lead">${summary(article.summary)}</div>${raw(renderMarkdown(article.body))}</article>
<section class="box" aria-live="polite">${
      thanks
        ? html`<p>${t('thanks')}</p>`
        : html`<p id="fb">${t('helpful')}</p>
<form method="post" action="/help/articles/${article.id}/feedback"><input type="hidden" name="helpful" value="yes"><button type="submit" aria-describedby="fb">${t('yes')}</button></form>
<form method="post" action="/help/articles/${article.id}/feedback"><input type="hidden" name="helpful" value="no"><button type="submit" class="secondary" aria-describedby="fb">${t('no')}</button></form>`
    }</section>
<section class="box" aria-labelledby="still"><h2 id="still">${t('stillNeedHelp')}</h2><p>${replyText(site, t)}</p>${chatButton(t)}</section>
${related.length ? html`<section aria-labelledby="related"><h2 id="related">${t('related')}</h2><ul>${related.map((a) => html`<li>${articleLink(a)}</li>`)}</ul></section>` : html``}</div>`,
  });
}

export function notFoundPage(site: HelpSite, popular: Article[]): string {
  const t = helpWords(site.lang);
  return layout({ site, lang: site.lang, title: t('notFound'), description: t('notFoundText'), body: html`<div class="wrap"><h1>${t('notFound')}</h1><p>${t('notFoundText')}</p>${popularList(t, popular)}</div>` });
}

export function errorPage(site: HelpSite): string {
  const t = helpWords(site.lang);
  return layout({ site, lang: site.lang, title: t('error'), description: t('errorText'), body: html`<div class="wrap"><h1>${t('error')}</h1><p>${t('errorText')}</p><p><a href="/help">${siteName(site, t)}</a></p></div>` });
}

/** sitemap.xml: the home page, every category and every article. */
export function sitemap(baseUrl: string, articles: Article[]): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const urls = ['/help', ...new Set(articles.map((a) => `/help/categories/${encodeURIComponent(a.category)}`)), ...articles.map((a) => `/help/articles/${encodeURIComponent(a.id)}`)];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${esc(baseUrl + u)}</loc></url>`).join('\n')}\n</urlset>\n`;
}
