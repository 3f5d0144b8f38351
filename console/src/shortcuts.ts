/** Keyboard shortcuts of the queue page, and the help sheet's list of them. */
import { useEffect } from 'preact/hooks';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'j / k', what: 'Next / previous ticket' },
  { keys: '/', what: 'Search tickets' },
  { keys: 'r', what: 'Reply to the customer' },
  { keys: 'n', what: 'Write an internal note' },
  { keys: 'c', what: 'Claim the ticket' },
  { keys: 'e', what: 'Resolve the ticket' },
  { keys: 'a', what: 'Insert a help article' },
  { keys: 'Ctrl/⌘ + Enter', what: 'Send (in the reply box)' },
  { keys: 'Esc', what: 'Leave the text box / close a dialog' },
  { keys: '?', what: 'Show this list' },
];

export type ShortcutAction = 'next' | 'previous' | 'search' | 'reply' | 'note' | 'claim' | 'resolve' | 'article' | 'help';

const KEYS: Record<string, ShortcutAction> = { j: 'next', k: 'previous', '/': 'search', r: 'reply', n: 'note', c: 'claim', e: 'resolve', a: 'article', '?': 'help' };

/** Typing in a field, or a modifier held: the key is text, not a command. */
function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e as KeyboardEvent)) return null;
  return KEYS[e.key] ?? null;
}

export function useShortcuts(run: (action: ShortcutAction) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]') && e.key !== 'Escape') return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      run(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [run]);
}

/** Click a ticket control or focus a field by its test id, if it is on screen. */
export function press(testId: string): void {
  const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!el || (el as HTMLButtonElement).disabled) return;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT') el.focus();
  else el.click();
}
