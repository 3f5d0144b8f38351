import type { Logger } from 'pino';
import type { Matcher } from '../../bot/engine';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KnowledgeBundle, parseBundle } from '../../bot/knowledge-bundle';
import { KnowledgeMatcher } from '../../bot/matcher';
import type { MatchThresholds } from '../../bot/thresholds';
import type { CandidateRef } from '../../bot/types';
import type { RealtimeBus } from '../realtime/bus';
import type { Store } from '../store/types';
import { servingKnowledgeBase } from './assemble';
import { BundleBuilder } from './builder';
import { type ServingStep, timed, timedAsync, yieldToLoop } from './thread-cpu';

/** Safety net for a missed NOTIFY (the bus resyncs after reconnecting, too). */
const VERSION_CHECK_MS = 30_000;

interface Served {
  bundle: KnowledgeBundle;
  matcher: KnowledgeMatcher;
  /** The stored knowledge version it was built from; 0 for a bundle given at start (files). */
  version: number;
}

export interface KnowledgeRuntimeOptions {
  store: Store;
  bus: RealtimeBus;
  log: Logger;
  thresholds: MatchThresholds;
  /** A bundle to serve until the stored knowledge base is built (tests, or an empty database). */
  initial?: KnowledgeBundle;
  /**
   * Where the last build is kept (DATA_DIR): a restart whose database is still at that version
   * loads it instead of training again, so it answers within a second.
   */
  cacheDir?: string;
}

/**
 * What the bot and the help centre answer from, swapped atomically when the published knowledge
 * changes. Rebuilds run in a worker thread; requests during a rebuild collapse into one more
 * rebuild that reads the latest stored state (the last one wins). Every instance rebuilds when
 * the bus says the stored version moved past the one it serves.
 */
export class KnowledgeRuntime {
  private served: Served;
  readonly builder = new BundleBuilder();
  private dirty = false;
  private loop: Promise<void> | undefined;
  private readonly listeners = new Set<(version: number) => void>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set during a rebuild, for the bench and /readyz. */
  lastBuildMs = 0;
  /** What the last rebuild did on the serving thread, step by step (for the bench). */
  lastSteps: ServingStep[] = [];
  private lastError: string | undefined;

  private constructor(private readonly options: KnowledgeRuntimeOptions, served: Served) {
    this.served = served;
  }

  /** Without `initial`, the stored knowledge base is built before this returns. */
  static async create(options: KnowledgeRuntimeOptions): Promise<KnowledgeRuntime> {
    const placeholder = options.initial ?? { kb: { articles: [], intents: [] }, search: undefined!, classifier: undefined!, builtAt: '' };
    const runtime = new KnowledgeRuntime(options, { bundle: placeholder, matcher: undefined!, version: 0 });
    if (options.initial) runtime.served.matcher = runtime.matcherFor(options.initial);
    else {
      if (!(await runtime.loadCache())) await runtime.refresh();
      if (!runtime.served.matcher) throw new Error(runtime.lastError ? `the knowledge base could not be built: ${runtime.lastError}` : 'the knowledge base is empty: run "npm run kb:import -- DIR"');
    }
    runtime.unsubscribe = options.bus.subscribe((event) => {
      if (event.type === 'knowledge' && event.version > runtime.served.version) void runtime.refresh();
      if (event.type === 'resync') void runtime.checkVersion();
    });
    runtime.timer = setInterval(() => void runtime.checkVersion(), VERSION_CHECK_MS);
    runtime.timer.unref();
    return runtime;
  }

  private async cacheFile(): Promise<{ path: string; header: string; version: number } | undefined> {
    if (!this.options.cacheDir) return undefined;
    const id = await this.options.store.knowledge.identity();
    const version = await this.options.store.knowledge.publishedVersion();
    return { path: join(this.options.cacheDir, 'knowledge-cache.json'), header: JSON.stringify({ kbId: id, version }), version };
  }

  /** At start: the cached build, if it is of this knowledge base at its stored version. */
  private async loadCache(): Promise<boolean> {
    try {
      const file = await this.cacheFile();
      if (!file || !existsSync(file.path)) return false;
      const text = readFileSync(file.path, 'utf8');
      const nl = text.indexOf('\n');
      if (nl < 0 || text.slice(0, nl) !== file.header) return false;
      const bundle = parseBundle(text.slice(nl + 1));
      this.served = { bundle, matcher: this.matcherFor(bundle), version: file.version };
      this.options.log.info({ version: file.version, articles: bundle.kb.articles.length }, 'knowledge loaded from cache');
      return true;
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'knowledge cache unusable; building');
      return false;
    }
  }

  bundle(): KnowledgeBundle {
    return this.served.bundle;
  }

  version(): number {
    return this.served.version;
  }

  /** The matcher the engine holds: it always asks the bundle being served now. */
  readonly matcher: Matcher = {
    match: (text: string) => this.served.matcher.match(text),
    candidate: (ref: CandidateRef) => this.served.matcher.candidate(ref),
    matchInLocale: (text: string, locale: string) => this.served.matcher.matchInLocale(text, locale),
  };

  /** Calls `listener` with each version swapped in. */
  onSwap(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a change this instance made: rebuild here, and tell the others to. */
  async changed(): Promise<void> {
    const version = await this.options.store.knowledge.publishedVersion();
    this.options.bus.publish({ type: 'knowledge', version });
    await this.refresh();
  }

  /** Rebuild from storage; a call during a rebuild queues one more (which reads the latest state). */
  refresh(): Promise<void> {
    this.dirty = true;
    this.loop ??= this.drain().finally(() => {
      this.loop = undefined;
    });
    return this.loop;
  }

  async checkVersion(): Promise<void> {
    try {
      const stored = await this.options.store.knowledge.publishedVersion();
      if (stored > this.served.version) await this.refresh();
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'knowledge version check failed');
    }
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.buildOnce();
      } catch (err) {
        // The previous version keeps serving; the next change or version check tries again.
        this.lastError = (err as Error).message;
        this.options.log.error({ err: this.lastError }, 'knowledge rebuild failed');
      }
    }
  }

  private async buildOnce(): Promise<void> {
    const { store, log } = this.options;
    const cache = await this.cacheFile();
    const version = cache?.version ?? (await store.knowledge.publishedVersion());
    if (await store.knowledge.isEmpty()) return; // nothing stored yet: keep what we serve
    const steps: ServingStep[] = [];
    const doc = await timedAsync(steps, 'read knowledge', () => store.knowledge.document());
    const kb = timed(steps, 'assemble', () => servingKnowledgeBase(doc));
    const building = timed(steps, 'post to worker', () => this.builder.build(kb, cache && { path: cache.path, header: cache.header }));
    const bundle = await building;
    steps.push(...this.builder.lastSteps);
    this.lastBuildMs = bundle.buildMs;
    await yieldToLoop();
    const matcher = timed(steps, 'matcher', () => this.matcherFor(bundle));
    this.lastSteps = steps;
    if (version < this.served.version) return; // a newer build finished first
    this.served = { bundle, matcher, version }; // one assignment: the swap is atomic
    log.info({ version, articles: bundle.kb.articles.length, buildMs: Math.round(bundle.buildMs) }, 'knowledge swapped in');
    for (const l of this.listeners) l(version);
  }

  private matcherFor(bundle: KnowledgeBundle): KnowledgeMatcher {
    return new KnowledgeMatcher({ kb: bundle.kb, search: bundle.search, classifier: bundle.classifier, thresholds: this.options.thresholds });
  }

  /** Resolves once the served version is at least `version` (tests wait on this, not on time). */
  whenVersion(version: number): Promise<void> {
    if (this.served.version >= version) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onSwap((v) => {
        if (v >= version) {
          off();
          resolve();
        }
      });
    });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.loop?.catch(() => undefined);
    await this.builder.close();
  }
}
