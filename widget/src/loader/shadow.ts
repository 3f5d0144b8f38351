/**
 * The widget's host element and shadow root: an <aside> landmark holding the launcher button,
 * the unread badge and the slot the panel renders into. Plain DOM, no framework.
 */
import { palette, paletteVars } from '../brand';
import { adoptCss } from '../css';
import type { Translate } from '../i18n';
import { LOADER_CSS } from '../styles';

export interface Shell {
  host: HTMLElement;
  root: ShadowRoot;
  frame: HTMLElement;
  launcher: HTMLButtonElement;
  slot: HTMLElement;
  setUnread(count: number): void;
  setLoading(state: 'loading' | 'failed' | 'done'): void;
  /** Colours and side of the page, from the team's branding. */
  setBrand(color: string, position: 'left' | 'right'): void;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
};

const ICON =
  'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.5 3.6A.9.9 0 0 1 3 20.9V6a2 2 0 0 1 1-1.73V4zm3 6a1.3 1.3 0 1 0 0 2.6A1.3 1.3 0 0 0 7 10zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6zm5 0a1.3 1.3 0 1 0 0 2.6 1.3 1.3 0 0 0 0-2.6z';

export function createShell(nonce: string | undefined, t: Translate, lang: string, onClose: () => void): Shell {
  const host = el('answerdesk-widget' as 'div');
  const root = host.attachShadow({ mode: 'open' });
  adoptCss(root, LOADER_CSS, nonce);

  const frame = el('aside', { class: 'root', 'aria-label': t('chat'), lang });
  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-label': t('open'), 'aria-haspopup': 'dialog' });
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', ICON);
  svg.appendChild(path);
  launcher.appendChild(svg);

  // The badge is a polite live region: "3 unread messages" is announced when it changes.
  const badge = el('span', { class: 'badge', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const slot = el('div', { class: 'slot', hidden: '' });
  frame.append(launcher, badge, slot);
  root.appendChild(frame);

  return {
    host,
    root,
    frame,
    launcher,
    slot,
    setUnread(count) {
      badge.textContent = '';
      if (count > 0) badge.append(el('span', { 'aria-hidden': 'true' }, count > 99 ? '99+' : String(count)), el('span', { class: 'sr' }, `${count} ${count === 1 ? t('unread1') : t('unreadN')}`));
    },
    setLoading(state) {
      if (state === 'done') return;
      slot.textContent = '';
      const box = el('div', { class: 'loading', role: 'status' }, state === 'loading' ? t('loading') : t('failed'));
      if (state === 'failed') {
        const close = el('button', { type: 'button' }, t('closeBtn'));
        close.onclick = onClose;
        box.appendChild(close);
        queueMicrotask(() => close.focus());
      }
      slot.appendChild(box);
    },
    setBrand(color, position) {
      frame.setAttribute('style', paletteVars(palette(color)));
      frame.classList.toggle('left', position === 'left');
      frame.classList.add('ready');
    },
  };
}
