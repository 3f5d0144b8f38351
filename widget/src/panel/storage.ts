/**
 * Persistence: the visitor token and the transcript (conversation id, last seq, messages, unsent
 * outbox) in localStorage, so a conversation survives page loads and resumes from `lastSeq`.
 * Storage can be missing or full (private mode, blocked third-party storage): every call is safe.
 */
import { storageKey } from '../shared';
import { emptyTranscript, reviveTranscript, type Transcript } from './transcript';

export interface KV {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A KV that never throws; falls back to memory when the real storage is unavailable. */
export function safeKV(get: () => KV | undefined): KV {
  const memory = new Map<string, string>();
  const real = (): KV | undefined => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  return {
    getItem(key) {
      try {
        const s = real();
        return s ? s.getItem(key) : (memory.get(key) ?? null);
      } catch {
        return memory.get(key) ?? null;
      }
    },
    setItem(key, value) {
      const s = real();
      if (!s) return void memory.set(key, value);
      s.setItem(key, value); // may throw QuotaExceededError: the caller decides
    },
    removeItem(key) {
      try {
        real()?.removeItem(key);
      } catch {
        // ignore
      }
      memory.delete(key);
    },
  };
}

interface Saved {
  v: 1;
  customerId?: string;
  transcript: Transcript;
}

export class WidgetStorage {
  constructor(
    private readonly widgetKey: string,
    private readonly kv: KV,
  ) {}

  get token(): string | undefined {
    return this.kv.getItem(storageKey(this.widgetKey, 'token')) ?? undefined;
  }

  set token(value: string | undefined) {
    try {
      if (value) this.kv.setItem(storageKey(this.widgetKey, 'token'), value);
      else this.kv.removeItem(storageKey(this.widgetKey, 'token'));
    } catch {
      // the session works for this page load only
    }
  }

  /**
   * The conversation a "Continue in chat" link asked to show (set by its landing page), kept
   * until the chat moves on to another conversation, so reloading the page still shows it.
   */
  get pin(): string | undefined {
    return this.kv.getItem(storageKey(this.widgetKey, 'pin')) ?? undefined;
  }

  unpin(): void {
    this.kv.removeItem(storageKey(this.widgetKey, 'pin'));
  }

  load(): { customerId?: string; transcript: Transcript } {
    try {
      const raw = this.kv.getItem(storageKey(this.widgetKey, 'conversation'));
      if (!raw) return { transcript: emptyTranscript() };
      const saved = JSON.parse(raw) as Partial<Saved>;
      return {
        ...(typeof saved.customerId === 'string' ? { customerId: saved.customerId } : {}),
        transcript: reviveTranscript(saved.transcript),
      };
    } catch {
      return { transcript: emptyTranscript() };
    }
  }

  /**
   * Save; when storage is full, keep fewer messages, and as a last resort none with lastSeq 0
   * (so the next page load asks the server for the whole conversation instead of skipping it).
   */
  save(customerId: string | undefined, t: Transcript): void {
    const key = storageKey(this.widgetKey, 'conversation');
    const attempts: Transcript[] = [t, { ...t, messages: t.messages.slice(-30) }, { ...t, messages: [], lastSeq: 0 }];
    for (const transcript of attempts) {
      const saved: Saved = { v: 1, ...(customerId ? { customerId } : {}), transcript };
      try {
        this.kv.setItem(key, JSON.stringify(saved));
        return;
      } catch {
        // try smaller
      }
    }
  }

  clear(): void {
    this.kv.removeItem(storageKey(this.widgetKey, 'conversation'));
  }
}
