import { useEffect, useState } from 'preact/hooks';
import { type Delivery, errorText, integrations, type Subscription } from './api';
import { OnceSecret } from './OnceSecret';

/** Webhook subscriptions: subscribe a URL to events, see failures and the delivery log, redeliver, rotate, disable. */
export function WebhookSettings() {
  const [subs, setSubs] = useState<Subscription[]>([]);
  const [catalogue, setCatalogue] = useState<{ type: string; description: string }[]>([]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = () =>
    integrations
      .webhooks()
      .then((r) => {
        setSubs(r.subscriptions);
        setCatalogue(r.events);
      })
      .catch((err: unknown) => setError(errorText(err, 'Could not load the webhooks.')));
  useEffect(() => void load(), []);

  const act = async (what: () => Promise<unknown>, failure: string) => {
    setError('');
    try {
      await what();
      await load();
    } catch (err) {
      setError(errorText(err, failure));
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    await act(async () => {
      const { subscription, secret } = await integrations.createWebhook(url.trim(), chosen, description.trim());
      setSecret({ label: `Signing secret for ${subscription.url}`, value: secret });
      setUrl('');
      setDescription('');
      setChosen([]);
    }, 'Could not add the webhook.');
    setBusy(false);
  };
  const disabled = subs.filter((s) => !s.active && s.disabledReason);

  return (
    <section aria-labelledby="webhook-settings" data-testid="webhooks">
      <h3 id="webhook-settings">Webhooks</h3>
      {disabled.map((s) => (
        <p key={s.id} class="error" role="alert">
          Webhook to <strong>{s.url}</strong> was turned off: {s.disabledReason}. Fix the receiver, then turn it back on.
        </p>
      ))}
      {secret && <OnceSecret label={secret.label} value={secret.value} onDone={() => setSecret(null)} />}
      {subs.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : (
        <ul class="settings-list">
          {subs.map((s) => (
            <li key={s.id} class="webhook">
              <div>
                <strong>{s.url}</strong> {s.active ? (s.failingSince ? <span class="notice small">failing since {new Date(s.failingSince).toLocaleString()}</span> : <span class="muted small">active</span>) : <span class="muted small">off</span>}
                <p class="muted small">
                  {s.description ? `${s.description} · ` : ''}
                  {s.events.join(', ')}
                  {s.previousSecretUntil ? ` · old secret valid until ${new Date(s.previousSecretUntil).toLocaleString()}` : ''}
                </p>
                <div class="row">
                  <button type="button" class="small" aria-expanded={open === s.id} onClick={() => setOpen(open === s.id ? null : s.id)}>
                    Delivery log
                  </button>
                  <button type="button" class="small" onClick={() => void act(() => integrations.updateWebhook(s.id, { active: !s.active }), 'Could not change it.')}>
                    {s.active ? 'Turn off' : 'Turn on'}
                  </button>
                  <button
                    type="button"
                    class="small"
                    onClick={() =>
                      void act(async () => {
                        const r = await integrations.rotate(s.id);
                        setSecret({ label: `New signing secret for ${s.url} (the old one keeps working for 24 hours)`, value: r.secret });
                      }, 'Could not rotate the secret.')
                    }
                  >
                    Rotate secret
                  </button>
                  <button type="button" class="small danger" onClick={() => confirm(`Delete the webhook to ${s.url}?`) && void act(() => integrations.deleteWebhook(s.id), 'Could not delete it.')}>
                    Delete
                  </button>
                </div>
                {open === s.id && <DeliveryLog subscriptionId={s.id} />}
              </div>
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={create}>
        <label for="webhook-url">URL</label>
        <input id="webhook-url" type="url" required placeholder="https://example.com/answerdesk" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        <label for="webhook-description">Description</label>
        <input id="webhook-description" maxLength={200} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <fieldset>
          <legend>Events</legend>
          {catalogue.map((ev) => (
            <label key={ev.type} class="check" title={ev.description}>
              <input type="checkbox" checked={chosen.includes(ev.type)} onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, ev.type] : chosen.filter((c) => c !== ev.type))} /> <code>{ev.type}</code>
            </label>
          ))}
        </fieldset>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || !url.trim() || chosen.length === 0}>
          Add webhook
        </button>
      </form>
    </section>
  );
}

function DeliveryLog({ subscriptionId }: { subscriptionId: string }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState('');
  const load = () =>
    integrations
      .deliveries(subscriptionId)
      .then((r) => setDeliveries(r.deliveries))
      .catch((err: unknown) => setError(errorText(err, 'Could not load the log.')));
  useEffect(() => void load(), [subscriptionId]);
  const redeliver = async (d: Delivery) => {
    try {
      await integrations.redeliver(subscriptionId, d.id);
      await load();
    } catch (err) {
      setError(errorText(err, 'Could not redeliver.'));
    }
  };
  if (error) return <p class="error">{error}</p>;
  if (!deliveries) return <p class="muted small">Loading…</p>;
  if (deliveries.length === 0) return <p class="muted small">Nothing sent yet.</p>;
  return (
    <table class="compact" data-testid="delivery-log">
      <thead>
        <tr>
          <th>Event</th>
          <th>Status</th>
          <th>Responses</th>
          <th>Action</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id}>
            <td>
              <code>{d.eventType}</code>
              <br />
              <span class="muted small">
                {d.eventId} · {new Date(d.createdAt).toLocaleString()}
              </span>
            </td>
            <td>{d.state}</td>
            <td class="small" title={d.lastError ?? ''}>
              {d.attemptLog.map((a) => a.status ?? 'error').join(' → ') || '–'}
            </td>
            <td>
              <button type="button" class="small" onClick={() => void redeliver(d)} aria-label={`Redeliver ${d.eventType} ${d.eventId}`}>
                Redeliver
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
