import type { IncomingMessage } from 'node:http';
import type { Express } from 'express';
import type { ArticleSearch } from '../../../knowledge/search-index';
import type { VisitorTokens } from '../../auth/visitor-token';
import { widgetCors } from '../../http/security';
import type { ChannelContext } from '../index';
import type { WidgetPresence } from './presence';
import { widgetRoutes } from './routes';
import { WIDGET_WS_PATH, WidgetSockets } from './sockets';

export { WIDGET_WS_PATH } from './sockets';

export interface WebChannelOptions {
  tokens: VisitorTokens;
  isAllowedOrigin(origin: string | undefined, req: IncomingMessage): boolean;
  search: () => ArticleSearch;
  summaries: () => Map<string, string>;
  /** Root-relative article link: the widget lives on the operator's own site. */
  articlePath(id: string): string;
  presence?: WidgetPresence;
}

/**
 * The web widget channel: REST (session, suggestions, history) under /api/widget and the
 * realtime socket at /api/widget/ws. Its "platform delivery" is the socket itself, so it needs
 * no outbox: a visitor who is away reads what they missed when they come back.
 */
export function mountWeb(ctx: ChannelContext & { app: Express }, options: WebChannelOptions): WidgetSockets {
  const { app, config, store, service, bus, log } = ctx;
  app.use(
    '/api/widget',
    widgetCors(options.isAllowedOrigin),
    widgetRoutes({ config, store, service, tokens: options.tokens, search: options.search, articleUrl: options.articlePath, summaries: options.summaries }),
  );
  return new WidgetSockets({ config, store, service, bus, tokens: options.tokens, log, isAllowedOrigin: options.isAllowedOrigin, ...(options.presence ? { presence: options.presence } : {}) });
}

export const isWidgetSocketPath = (url: string | undefined) => (url ?? '').split('?')[0] === WIDGET_WS_PATH;
