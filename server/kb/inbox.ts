import type { Matcher } from '../../bot/engine';
import type { InboxActionRow } from '../store/knowledge';
import type { Store } from '../store/types';
import { groupByWording, SAME_QUESTION, similarity, wordingKey } from '../../knowledge/grouping';
import { type Ask, MISS_KINDS, readSignals, type Signal, SIGNAL_EVENT_TYPES, type SignalKind } from './signals';
import { normalizePhrasing } from './types';

export type InboxActionKind = 'add_phrasing' | 'create_article' | 'out_of_scope' | 'dismiss';

export interface InboxItem {
  key: string;
  /** The newest wording: what the list shows. */
  text: string;
  wordings: { text: string; count: number }[];
  count: number;
  firstAt: string;
  lastAt: string;
  kinds: Partial<Record<SignalKind, number>>;
  /** Only "yes, this helped" answers: evidence the phrasing is right, not a miss. */
  confirmedOnly: boolean;
  conversations: { id: string; at: string; kind: SignalKind; text: string }[];
  /** The article "add as a phrasing" pre-selects: what an agent linked or a customer confirmed, else the matcher's best guess (never the answer that was wrong). */
  guess: { articleId: string; title: string; why: 'agent_linked' | 'confirmed' | 'matcher' } | null;
  status: 'open' | 'done';
  action: { kind: string; target: string | null; at: string } | null;
  /** Since the action: how often the question came back, and how often the bot answered it. */
  effect: { asked: number; answered: number } | null;
}

export interface InboxQuery {
  days?: number;
  sort?: 'recent' | 'frequent';
  status?: 'open' | 'done';
}

const DAY_MS = 86_400_000;
const MAX_CONVERSATIONS = 10;

/** "Improve the bot": misses from real traffic, grouped by wording, with what was done about them. */
export class ImproveInbox {
  constructor(
    private readonly store: Store,
    private readonly matcher: () => Matcher,
    private readonly titleOf: (articleId: string) => string | undefined,
  ) {}

  async items(query: InboxQuery = {}): Promise<InboxItem[]> {
    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - (query.days ?? 30) * DAY_MS).toISOString();
    const events = await this.store.events.list({ from, to, types: SIGNAL_EVENT_TYPES });
    const { signals, asks } = readSignals(events);
    const actions = await this.store.knowledge.inboxActions();
    signals.sort((a, b) => b.at.localeCompare(a.at));
    const items = groupByWording(signals, (s) => s.text).map((g) => this.item(g.key, g.items, actions, asks));
    const filtered = query.status ? items.filter((i) => i.status === query.status) : items;
    return filtered.sort(query.sort === 'frequent' ? (a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt) : (a, b) => b.lastAt.localeCompare(a.lastAt));
  }

  async find(key: string): Promise<InboxItem | undefined> {
    return (await this.items({ days: 90 })).find((i) => i.key === key);
  }

  private item(key: string, signals: Signal[], actions: InboxActionRow[], asks: Ask[]): InboxItem {
    const counts = new Map<string, { text: string; count: number }>();
    for (const s of signals) {
      const n = normalizePhrasing(s.text);
      const c = counts.get(n) ?? { text: s.text, count: 0 };
      c.count++;
      counts.set(n, c);
    }
    const kinds: Partial<Record<SignalKind, number>> = {};
    for (const s of signals) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    const norms = new Set(counts.keys());
    const action = [...actions].reverse().find((a) => a.groupKey === key || a.texts.some((t) => norms.has(normalizePhrasing(t))));
    const lastMiss = signals.find((s) => MISS_KINDS.has(s.kind))?.at;
    const lastAt = signals[0]!.at;
    // A question marked out of scope is meant to go unanswered, and dismissed junk stays dismissed;
    // a phrasing or article that did not help shows up again when the question is missed again.
    const final = action?.action === 'out_of_scope' || action?.action === 'dismiss';
    const done = action !== undefined && (final || !lastMiss || lastMiss <= action.createdAt);
    return {
      key,
      text: signals[0]!.text,
      wordings: [...counts.values()].sort((a, b) => b.count - a.count),
      count: signals.length,
      firstAt: signals[signals.length - 1]!.at,
      lastAt,
      kinds,
      confirmedOnly: signals.every((s) => s.kind === 'helpful'),
      conversations: signals.slice(0, MAX_CONVERSATIONS).map((s) => ({ id: s.conversationId, at: s.at, kind: s.kind, text: s.text })),
      guess: this.guess(signals),
      status: done ? 'done' : 'open',
      action: action ? { kind: action.action, target: action.target, at: action.createdAt } : null,
      effect: action ? effectSince(action, asks) : null,
    };
  }

  private guess(signals: Signal[]): InboxItem['guess'] {
    const linked = signals.find((s) => s.kind === 'agent_article' && s.articleId && this.titleOf(s.articleId));
    if (linked) return { articleId: linked.articleId!, title: this.titleOf(linked.articleId!)!, why: 'agent_linked' };
    const confirmed = signals.find((s) => s.kind === 'helpful' && s.articleId && this.titleOf(s.articleId));
    if (confirmed) return { articleId: confirmed.articleId!, title: this.titleOf(confirmed.articleId!)!, why: 'confirmed' };
    const wrong = new Set(signals.filter((s) => s.kind === 'not_helpful' || s.kind === 'escalated_after_answer').map((s) => s.answered));
    const d = this.matcher().match(signals[0]!.text);
    const ranked = d.action === 'answer' ? [d.candidate, ...d.candidates] : d.candidates;
    const best = ranked.find((c) => c.article && c.confidence > 0 && !wrong.has(c.article.id));
    return best?.article ? { articleId: best.article.id, title: best.article.title, why: 'matcher' } : null;
  }
}

/** Questions worded like the action's after it was taken: how many, and how many the bot answered. */
export function effectSince(action: Pick<InboxActionRow, 'texts' | 'createdAt'>, asks: readonly Ask[]): { asked: number; answered: number } {
  const keys = action.texts.map(wordingKey);
  let asked = 0;
  let answered = 0;
  for (const ask of asks) {
    if (ask.at <= action.createdAt) continue;
    const w = wordingKey(ask.text);
    if (!keys.some((k) => similarity(k, w) >= SAME_QUESTION)) continue;
    asked++;
    if (ask.answered) answered++;
  }
  return { asked, answered };
}
