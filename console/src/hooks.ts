import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleEvent, ConsoleEvents } from './events';

/** Current time, refreshed every `intervalMs` (for SLA countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Subscribe to the live feed; the latest handler is always used without resubscribing. */
export function useConsoleEvents(events: ConsoleEvents | null, handler: (e: ConsoleEvent) => void, onReopen?: () => void): void {
  const ref = useRef(handler);
  const reopenRef = useRef(onReopen);
  ref.current = handler;
  reopenRef.current = onReopen;
  useEffect(() => {
    if (!events) return;
    const off = events.on((e) => ref.current(e));
    const offState = events.onState((_s, reopened) => {
      if (reopened) reopenRef.current?.();
    });
    return () => {
      off();
      offState();
    };
  }, [events]);
}
