import { useEffect, useState } from 'preact/hooks';
import { errorText, integrations, type ApiKeyInfo } from './api';
import { OnceSecret } from './OnceSecret';

const SCOPE_HELP: Record<string, string> = {
  read: 'read everything',
  'tickets:write': 'claim, assign, reply, note, tag, resolve',
  'conversations:write': 'customers and messages on their behalf',
  'knowledge:write': 'help-centre articles',
  admin: 'everything, including webhooks',
};

/** API keys: created with a name and scopes (the key is shown once), listed with last use, revoked. */
export function ApiKeySettings() {
  const [keys, setKeys] = useState<ApiKeyInfo[]>([]);
  const [scopes, setScopes] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['read']);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = () =>
    integrations
      .keys()
      .then((r) => {
        setKeys(r.keys);
        setScopes(r.scopes);
      })
      .catch((err: unknown) => setError(errorText(err, 'Could not load the API keys.')));
  useEffect(() => void load(), []);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { key, secret } = await integrations.createKey(name.trim(), chosen);
      setSecret({ name: key.name, value: secret });
      setName('');
      await load();
    } catch (err) {
      setError(errorText(err, 'Could not create the key.'));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (k: ApiKeyInfo) => {
    if (!confirm(`Revoke “${k.name}”? Integrations using it stop working at once.`)) return;
    try {
      await integrations.revokeKey(k.id);
      await load();
    } catch (err) {
      setError(errorText(err, 'Could not revoke the key.'));
    }
  };

  return (
    <section aria-labelledby="api-key-settings" data-testid="api-keys">
      <h3 id="api-key-settings">API keys</h3>
      <p class="muted small">
        For scripts and integrations using the <a href="/api/docs">REST API</a>. The old <code>ADMIN_API_TOKEN</code> still works with every scope but is deprecated.
      </p>
      {secret && <OnceSecret label={`API key “${secret.name}”`} value={secret.value} onDone={() => setSecret(null)} />}
      {keys.length === 0 ? (
        <p class="muted">No keys yet.</p>
      ) : (
        <ul class="settings-list">
          {keys.map((k) => (
            <li key={k.id}>
              <div>
                <strong>{k.name}</strong> <code class="small">{k.prefix}…</code>
                <p class="muted small">
                  {k.scopes.join(', ')} · created {new Date(k.createdAt).toLocaleDateString()} · {k.lastUsedAt ? `last used ${new Date(k.lastUsedAt).toLocaleString()}` : 'never used'}
                </p>
              </div>
              {k.revokedAt ? (
                <span class="muted small">revoked</span>
              ) : (
                <button type="button" class="small danger" onClick={() => void revoke(k)} aria-label={`Revoke API key ${k.name}`}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={create}>
        <label for="key-name">Name</label>
        <input id="key-name" required maxLength={80} placeholder="e.g. CRM sync" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <fieldset>
          <legend>Scopes</legend>
          {scopes.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, s] : chosen.filter((c) => c !== s))} /> <code>{s}</code>{' '}
              <span class="muted small">{SCOPE_HELP[s] ?? ''}</span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || !name.trim() || chosen.length === 0}>
          Create API key
        </button>
      </form>
    </section>
  );
}
