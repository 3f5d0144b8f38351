/**
 * widget.js — the one script a site embeds:
 *
 *   <script>window.answerdesk=window.answerdesk||function(){(answerdesk.q=answerdesk.q||[]).push(arguments)}</script>
 *   <script src="https://support.example.com/widget.js" data-answerdesk-key="demo" async></script>
 *
 * Plain DOM on purpose (no preact): it draws the launcher in a shadow root and loads panel.js
 * (preact, the actual chat) from the same base URL on first open — or at idle time when the
 * visitor already has a conversation, so unread replies show on the badge.
 */
import { pickLocale, translator } from './i18n';
import { createShell } from './loader/shadow';
import { PANEL_GLOBAL, storageKey, type Identity, type PanelApi, type PanelModule, type WidgetConfig } from './shared';

/** The launcher waits this long for the team's colours before showing in the default ones. */
const BRAND_WAIT_MS = 1500;

type Command = 'open' | 'close' | 'identify' | 'page';
type AnswerdeskFn = ((command: Command, arg?: unknown) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean };
type Globals = { answerdesk?: AnswerdeskFn; __answerdeskLoaded?: boolean } & Record<string, unknown>;

const GUARD = '__answerdeskLoaded';

function boot(): void {
  const w = window as unknown as Globals;
  // Pasted twice? The first copy wins; the second does nothing.
  if (w[GUARD]) return;
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-answerdesk-key]');
  const key = script?.dataset.answerdeskKey;
  if (!script?.src || !key) {
    console.warn('[answerdesk] widget.js needs a data-answerdesk-key attribute on its <script> tag');
    return;
  }
  w[GUARD] = true;

  const src = new URL(script.src, location.href);
  const origin = src.origin;
  const base = new URL('.', src).href;
  const title = script.dataset.title?.trim() || '';
  const nonce = script.nonce || undefined;
  // data-locale="fr" overrides the browser's languages.
  const locale = pickLocale(script.dataset.locale, navigator.languages ?? [navigator.language]);
  const t = translator(locale);

  const identity: Identity = {};
  let pageUrl = location.href;
  let isOpen = false;
  let api: PanelApi | undefined;
  let loading: Promise<PanelApi> | undefined;

  const session = (get: () => Storage): Storage | undefined => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  const openKey = storageKey(key, 'open');

  const shell = createShell(nonce, t, locale, () => close());
  const { root, launcher, slot, frame } = shell;

  // Branding lives on the server, so the console changes it for every page without a new snippet.
  let config: WidgetConfig | null = null;
  const configListeners: ((c: WidgetConfig) => void)[] = [];
  const readConfig = () =>
    fetch(`${origin}/api/widget/config?key=${encodeURIComponent(key)}&locale=${locale}`)
      .then((r) => (r.ok ? (r.json() as Promise<WidgetConfig>) : null))
      .then((c) => {
        if (!c?.branding) return;
        config = c;
        shell.setBrand(c.branding.brandColor, c.branding.position);
        for (const fn of configListeners) fn(c);
      })
      .catch(() => undefined);
  void readConfig();
  setTimeout(() => frame.classList.add('ready'), BRAND_WAIT_MS);

  const loadPanel = (): Promise<PanelApi> =>
    (loading ??= new Promise<PanelApi>((resolve, reject) => {
      const mount = (mod: PanelModule) =>
        resolve(
          (api = mod.mount({
            root,
            container: slot,
            origin,
            key,
            title,
            locale,
            t,
            config: () => config,
            onConfig: (fn) => configListeners.push(fn),
            identity,
            pageUrl,
            open: isOpen,
            setUnread: shell.setUnread,
            requestClose: () => close(),
          })),
        );
      const existing = w[PANEL_GLOBAL] as PanelModule | undefined;
      if (existing) return mount(existing);
      const tag = document.createElement('script');
      tag.src = `${base}panel.js`;
      tag.async = true;
      if (nonce) tag.nonce = nonce;
      tag.onload = () => {
        const mod = w[PANEL_GLOBAL] as PanelModule | undefined;
        if (mod) mount(mod);
        else tag.onerror?.(new Event('error'));
      };
      tag.onerror = () => {
        tag.remove();
        loading = undefined;
        reject(new Error('answerdesk: panel.js failed to load'));
      };
      document.head.appendChild(tag);
    }));

  function open(focus = true): void {
    if (isOpen) return;
    isOpen = true;
    session(() => sessionStorage)?.setItem(openKey, '1');
    frame.classList.add('open');
    slot.hidden = false;
    void readConfig();
    if (api) return api.setOpen(true, focus);
    shell.setLoading('loading');
    loadPanel().then(
      (panel) => isOpen && panel.setOpen(true, focus),
      () => isOpen && shell.setLoading('failed'),
    );
  }

  function close(): void {
    if (!isOpen) return;
    const hadFocus = root.activeElement !== null;
    isOpen = false;
    session(() => sessionStorage)?.removeItem(openKey);
    frame.classList.remove('open');
    slot.hidden = true;
    api?.setOpen(false, false);
    if (hadFocus) launcher.focus();
  }

  const run = (command: unknown, arg?: unknown): void => {
    switch (command) {
      case 'open':
        return open();
      case 'close':
        return close();
      case 'identify': {
        if (!arg || typeof arg !== 'object') return;
        const next = arg as Identity;
        if (typeof next.name === 'string') identity.name = next.name;
        if (typeof next.email === 'string') identity.email = next.email;
        if (next.attributes && typeof next.attributes === 'object') identity.attributes = { ...identity.attributes, ...next.attributes };
        api?.identify(next);
        return;
      }
      case 'page':
        if (typeof arg !== 'string') return;
        pageUrl = arg;
        api?.page(arg);
        return;
      default:
        console.warn(`[answerdesk] unknown command "${String(command)}"`);
    }
  };

  launcher.addEventListener('click', () => open());
  // Start fetching the panel as soon as the visitor shows intent.
  const warm = () => void loadPanel().catch(() => undefined);
  launcher.addEventListener('pointerenter', warm, { once: true });
  launcher.addEventListener('focus', warm, { once: true });

  // Commands queued by the inline stub run exactly once, in order.
  const queued = w.answerdesk?.q ?? [];
  const real: AnswerdeskFn = (command, arg) => run(command, arg);
  real.loaded = true;
  w.answerdesk = real;

  const attach = () => {
    document.body.appendChild(shell.host);
    for (const args of Array.from(queued)) run(args[0], args[1]);
    if (session(() => sessionStorage)?.getItem(openKey) === '1') open(false);
    else if (hasConversation()) {
      if ('requestIdleCallback' in window) window.requestIdleCallback(warm, { timeout: 4000 });
      else setTimeout(warm, 2000);
    }
  };

  function hasConversation(): boolean {
    try {
      return /"conversationId":"/.test(localStorage.getItem(storageKey(key as string, 'conversation')) ?? '');
    } catch {
      return false;
    }
  }

  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
}

boot();
