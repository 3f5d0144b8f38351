import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { homePage, type HelpSite } from '../../server/help/pages';
import { popularArticles } from '../../server/help/popular';
import { negotiateLang } from '../../server/help/words';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Help-centre chrome that follows the visitor and the team: the language of pages that are not
 * one article, the "Still need help?" copy by availability (as the widget's header), and one
 * default team name for every widget.
 */
let server: TestServer;
let german: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
  german = await startTestServer({ DEFAULT_LOCALE: 'de', EMAIL_FROM: '"Tidyflow Support" <support@tidyflow.test>' }, { kbDir: SAMPLE_KB_DIR });
});
afterAll(async () => {
  await server?.close();
  await german?.close();
});

const page = async (s: TestServer, path: string, acceptLanguage?: string) => {
  const res = await fetch(s.url + path, acceptLanguage ? { headers: { 'accept-language': acceptLanguage } } : {});
  return { status: res.status, vary: res.headers.get('vary') ?? '', html: await res.text() };
};

describe('help centre chrome', () => {
  it('says the team is away while no agent is online, and "within minutes" once one is', async () => {
    const away = await page(server, '/help');
    expect(away.html).not.toContain('usually within minutes');
    // No SMTP_URL: the reply comes in the chat, never by email (as the widget's "we'll reply here").
    expect(away.html).toContain("We&#39;re away right now. Leave a message in the chat and we&#39;ll reply there.");
    const search = await page(server, '/help/search?q=password');
    expect(search.html).not.toContain('usually within minutes');

    const agent = await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex', role: 'agent', passwordHash: await hashPassword('correct horse battery') });
    await server.desk.store.agents.setPresence(agent.id, 'online');
    expect((await page(server, '/help')).html).toContain('Our team answers in the chat, usually within minutes.');
    expect((await page(server, '/help/search?q=password')).html).toContain('usually within minutes');
    await server.desk.store.agents.setPresence(agent.id, 'offline');
  });

  it('promises an email reply only when email is set up', () => {
    const site: HelpSite = { name: 'Help centre', baseUrl: 'https://x.test', widgetKey: undefined, nonce: 'n', brandColor: '#1d4ed8', lang: 'en', reply: 'away' };
    expect(homePage(site, [], [])).toContain('we&#39;ll reply by email');
    expect(homePage({ ...site, lang: 'fr' }, [], [])).toContain('nous vous répondrons par e-mail');
  });

  it('speaks the browser’s language on home, search, topic and 404 pages, else the configured one', async () => {
    const fr = await page(server, '/help', 'fr-CA,fr;q=0.9,en;q=0.5');
    expect(fr.html).toMatch(/<html lang="fr">/);
    expect(fr.html).toContain('Comment pouvons-nous vous aider ?');
    expect(fr.html).toContain('Centre d’aide');
    expect(fr.html).toContain('data-locale="fr"');
    expect(fr.vary).toMatch(/accept-language/i);
    const es = await page(server, '/help/search?q=zzqqxx', 'es');
    expect(es.html).toMatch(/<html lang="es">/);
    expect(es.html).toContain('Ningún artículo coincide con «zzqqxx».');
    const de404 = await page(server, '/help/nowhere', 'de-DE');
    expect(de404.status).toBe(404);
    expect(de404.html).toContain('Seite nicht gefunden');
    // Japanese is not offered: English here, the operator's DEFAULT_LOCALE (de) on the other server.
    expect((await page(server, '/help', 'ja')).html).toMatch(/<html lang="en">/);
    const de = await page(german, '/help', 'ja');
    expect(de.html).toMatch(/<html lang="de">/);
    expect(de.html).toContain('Hilfe-Center');
    // A French result on an English search page is marked as French.
    const mixed = await page(server, '/help/search?q=mot%20de%20passe', 'en');
    expect(mixed.html).toMatch(/<html lang="en">/);
    expect(mixed.html).toContain('<a href="/help/articles/reinitialiser-mot-de-passe" lang="fr">');
    // A French article keeps its own language whatever the browser says.
    expect((await page(german, '/help/articles/reinitialiser-mot-de-passe', 'de')).html).toMatch(/<html lang="fr">/);
  });

  it('keeps a help-centre name the operator chose, in every language', async () => {
    const branding = (await (await server.admin('/api/settings/branding')).json()) as { branding: Record<string, unknown> };
    await server.admin('/api/settings/branding', { method: 'PUT', body: JSON.stringify({ ...branding.branding, helpCentreName: 'Tidyflow Help' }) });
    expect((await page(server, '/help', 'fr')).html).toContain('<title>Tidyflow Help</title>');
    await server.admin('/api/settings/branding', { method: 'PUT', body: JSON.stringify(branding.branding) });
  });

  it('gives every widget one default team name: TEAM_NAME, else EMAIL_FROM’s name', async () => {
    const config = async (s: TestServer) => (await (await fetch(`${s.url}/api/widget/config?key=demo`)).json()) as { defaultTeamName: string; branding: { teamName: string } };
    expect((await config(german)).defaultTeamName).toBe('Tidyflow Support');
    expect((await config(server)).defaultTeamName).toBe('');
    const named = await startTestServer({ TEAM_NAME: 'Acme Care', EMAIL_FROM: '"Tidyflow Support" <support@tidyflow.test>' });
    try {
      expect((await config(named)).defaultTeamName).toBe('Acme Care');
    } finally {
      await named.close();
    }
  });

  it('lists popular articles in the page’s language first, in the help centre and the widget', async () => {
    for (let i = 0; i < 5; i++) await fetch(`${server.url}/help/articles/reinitialiser-mot-de-passe`);
    const popular = (html: string) => [...(/<section aria-labelledby="popular">(.*?)<\/section>/s.exec(html)?.[1] ?? '').matchAll(/lang="([a-z-]+)"/g)].map((m) => m[1]);
    const en = popular((await page(server, '/help', 'en')).html);
    expect(en.length).toBeGreaterThan(1);
    expect(en[0]).toBe('en');
    expect(popular((await page(server, '/help', 'fr')).html)[0]).toBe('fr');
    const widget = async (locale: string) => ((await (await fetch(`${server.url}/api/widget/config?key=demo&locale=${locale}`)).json()) as { popular: { id: string }[] }).popular.map((a) => a.id);
    expect(await widget('en')).not.toContain('reinitialiser-mot-de-passe');
    expect((await widget('fr-CA'))[0]).toBe('reinitialiser-mot-de-passe');
  });

  it('keeps every topic in the page’s language: another language’s article takes no topic’s place', () => {
    const a = (id: string, category: string, locale = 'en') => ({ id, category, locale });
    const all = [a('reset', 'account'), a('reinit', 'account', 'fr'), a('vat', 'billing'), a('export', 'data'), a('factures', 'billing', 'fr-FR')];
    expect(popularArticles(all, ['reinit'], 'en', 3).map((x) => x.id)).toEqual(['reset', 'export', 'vat']);
    expect(popularArticles(all, ['reinit'], 'fr-CA', 3).map((x) => x.id)).toEqual(['reinit', 'factures', 'export']);
    expect(popularArticles(all, ['export'], '', 2).map((x) => x.id)).toEqual(['export', 'reset']);
  });

  it('ranks the browser’s languages by q-value', () => {
    expect(negotiateLang('en;q=0.2, de;q=0.8', 'en')).toBe('de');
    expect(negotiateLang('xx, es-MX', 'fr')).toBe('es');
    expect(negotiateLang('fr;q=0', 'en')).toBe('en');
    expect(negotiateLang(undefined, 'es')).toBe('es');
    expect(negotiateLang('*', 'de')).toBe('de');
    expect(negotiateLang('__proto__, constructor;q=0.9, toString', 'fr')).toBe('fr');
  });

  it('answers a hostile Accept-Language with a page in the default language', async () => {
    for (const header of ['__proto__', 'constructor', 'fr;q=NaN, de;q=-1, es;q=1e400', ';;;,,', 'x'.repeat(3000)]) {
      const res = await page(server, '/help', header);
      expect(res.status, header.slice(0, 40)).toBe(200);
      expect(res.html).toMatch(/<html lang="en">/);
    }
  });
});
