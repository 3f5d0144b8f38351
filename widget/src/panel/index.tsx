/**
 * panel.js entry: the chat panel, mounted by the loader into its shadow root.
 * Exposed as the IIFE global `AnswerdeskPanel` (see shared.ts PANEL_GLOBAL).
 */
import { render } from 'preact';
import { adoptCss } from '../css';
import type { PanelApi, PanelHost } from '../shared';
import { PANEL_CSS } from '../styles';
import { App } from './App';
import { Chat, randomId } from './chat';
import type { SocketLike } from './connection';
import { safeKV, WidgetStorage } from './storage';
import { type Ui, UiContext } from './ui';

export function mount(host: PanelHost): PanelApi {
  adoptCss(host.root, PANEL_CSS);
  const chat = new Chat({
    origin: host.origin,
    key: host.key,
    identity: host.identity,
    pageUrl: host.pageUrl,
    storage: new WidgetStorage(host.key, safeKV(() => localStorage)),
    fetch: (input, init) => fetch(input, init),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    uuid: randomId,
  });
  let open = host.open;
  let focusRequest = 0;
  let lastUnread = -1;
  chat.subscribe((s) => {
    if (s.transcript.unread !== lastUnread) host.setUnread((lastUnread = s.transcript.unread));
  });
  chat.setOpen(open);
  host.setUnread((lastUnread = chat.state.transcript.unread));

  const { t } = host;
  const ui = (): Ui => {
    const config = host.config();
    return { t, locale: host.locale, config, teamName: config?.branding.teamName || host.title || config?.defaultTeamName || t('support') };
  };
  const draw = () =>
    render(
      <UiContext.Provider value={ui()}>
        <App chat={chat} open={open} focusRequest={focusRequest} onClose={host.requestClose} />
      </UiContext.Provider>,
      host.container,
    );
  host.onConfig(() => draw());
  host.container.textContent = '';
  draw();
  chat.start();

  return {
    setOpen(next, focus) {
      open = next;
      if (next && focus) focusRequest++;
      chat.setOpen(next);
      draw();
    },
    identify: (identity) => chat.identify(identity),
    page: (url) => chat.page(url),
  };
}
