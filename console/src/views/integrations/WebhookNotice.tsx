import { useEffect, useState } from 'preact/hooks';
import { integrations } from './api';

/** How often an admin's console re-checks for webhooks turned off by failures. */
const CHECK_EVERY_MS = 5 * 60_000;

/**
 * The admins' notice that a webhook was turned off after a day of failures: a bar under the
 * header on every page, until the subscription is fixed and turned back on (in Settings).
 */
export function WebhookNotice({ isAdmin, recheck, onOpenSettings }: { isAdmin: boolean; recheck: unknown; onOpenSettings(): void }) {
  const [disabled, setDisabled] = useState<string[]>([]);
  useEffect(() => {
    if (!isAdmin) return;
    const check = () =>
      void integrations
        .webhooks()
        .then((r) => setDisabled(r.subscriptions.filter((s) => !s.active && s.disabledReason).map((s) => s.url)))
        .catch(() => undefined);
    check();
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [isAdmin, recheck]);
  if (disabled.length === 0) return null;
  return (
    <div class="notice webhook-notice" role="alert" data-testid="webhook-notice">
      {disabled.length === 1 ? `The webhook to ${disabled[0]} was` : `${disabled.length} webhooks were`} turned off after a day of failed deliveries.{' '}
      <button type="button" class="small" onClick={onOpenSettings}>
        Open settings
      </button>
    </div>
  );
}
