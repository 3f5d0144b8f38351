import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { capitalize } from '../format';
import type { AgentInfo, CannedResponse, Role } from '../types';
import { BrandingSettings } from './BrandingSettings';
import { SurveySettings } from './dashboard/SurveySettings';
import { ApiKeySettings } from './integrations/ApiKeys';
import { WebhookSettings } from './integrations/Webhooks';

interface Props {
  canned: CannedResponse[];
  agents: AgentInfo[];
  onClose(): void;
  onCannedChanged(): void;
  onAgentsChanged(): void;
}

/** Admin settings: canned responses and agent accounts. A native modal dialog (focus trap, Esc). */
export function Settings({ canned, agents, onClose, onCannedChanged, onAgentsChanged }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  return (
    <dialog ref={dialog} class="settings" aria-labelledby="settings-title" onClose={onClose} onCancel={onClose} data-testid="settings">
      <div class="dialog-head">
        <h2 id="settings-title">Settings</h2>
        <button type="button" class="ghost" onClick={onClose} aria-label="Close settings">
          Close
        </button>
      </div>
      <BrandingSettings />
      <CannedSettings canned={canned} onChanged={onCannedChanged} />
      <AgentSettings agents={agents} onChanged={onAgentsChanged} />
      <SurveySettings />
      <ApiKeySettings />
      <WebhookSettings />
    </dialog>
  );
}

function CannedSettings({ canned, onChanged }: { canned: CannedResponse[]; onChanged(): void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (editing) await api.updateCanned(editing, title.trim(), body.trim());
      else await api.createCanned(title.trim(), body.trim());
      setEditing(null);
      setTitle('');
      setBody('');
      onChanged();
    } catch (err) {
      setError(capitalize(err instanceof Error ? err.message : 'Could not save.'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (r: CannedResponse) => {
    if (!confirm(`Delete the canned response “${r.title}”?`)) return;
    try {
      await api.deleteCanned(r.id);
      onChanged();
    } catch (err) {
      setError(capitalize(err instanceof Error ? err.message : 'Could not delete.'));
    }
  };

  return (
    <section aria-labelledby="canned-settings">
      <h3 id="canned-settings">Canned responses</h3>
      {canned.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ul class="settings-list">
          {canned.map((r) => (
            <li key={r.id}>
              <div>
                <strong>{r.title}</strong>
                <p class="muted small pre">{r.body}</p>
              </div>
              <span class="row">
                <button
                  type="button"
                  class="small"
                  data-testid="canned-edit"
                  aria-label={`Edit canned response ${r.title}`}
                  onClick={() => {
                    setEditing(r.id);
                    setTitle(r.title);
                    setBody(r.body);
                    document.getElementById('canned-title')?.focus();
                  }}
                >
                  Edit
                </button>
                <button type="button" class="small danger" onClick={() => void remove(r)} aria-label={`Delete canned response ${r.title}`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={add}>
        <label for="canned-title">Title</label>
        <input id="canned-title" required maxLength={80} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <label for="canned-body">Text</label>
        <textarea id="canned-body" required maxLength={4000} rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} aria-describedby="canned-hint" />
        <p id="canned-hint" class="hint">
          Placeholders: <code>{'{{customer.name}}'}</code> <code>{'{{customer.email}}'}</code> <code>{'{{agent.name}}'}</code>{' '}
          <code>{'{{customer.attributes.plan}}'}</code> (any attribute). Unknown ones are left empty.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <span class="row">
          <button type="submit" class="primary" disabled={busy || !title.trim() || !body.trim()} data-testid="canned-save">
            {editing ? 'Save changes' : 'Add canned response'}
          </button>
          {editing && (
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setTitle('');
                setBody('');
              }}
            >
              Cancel
            </button>
          )}
        </span>
      </form>
    </section>
  );
}

function AgentSettings({ agents, onChanged }: { agents: AgentInfo[]; onChanged(): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setDone('');
    try {
      const { agent } = await api.createAgent({ email: email.trim(), name: name.trim(), password, role });
      setDone(`${agent.name} can now sign in.`);
      setEmail('');
      setName('');
      setPassword('');
      setRole('agent');
      onChanged();
    } catch (err) {
      setError(capitalize(err instanceof Error ? err.message : 'Could not add the agent.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="agent-settings">
      <h3 id="agent-settings">Agents</h3>
      <ul class="settings-list">
        {agents.map((a) => (
          <li key={a.id}>
            <span>
              <strong>{a.name}</strong> <span class="muted">{a.email}</span>
            </span>
            <span class="muted small">
              {a.role} · {a.presence ?? 'offline'}
            </span>
          </li>
        ))}
      </ul>
      <form class="stack" onSubmit={add}>
        <label for="agent-email">Email</label>
        <input id="agent-email" type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="agent-name">Name</label>
        <input id="agent-name" required maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="agent-password">Initial password</label>
        <input
          id="agent-password"
          type="password"
          required
          minLength={10}
          autocomplete="new-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-describedby="agent-password-hint"
        />
        <p id="agent-password-hint" class="hint">
          At least 10 characters. Share it privately.
        </p>
        <label for="agent-role">Role</label>
        <select id="agent-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="agent">Agent</option>
          <option value="editor">Editor (publishes knowledge)</option>
          <option value="admin">Admin</option>
        </select>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="success" role="status">
            {done}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Add agent
        </button>
      </form>
    </section>
  );
}
