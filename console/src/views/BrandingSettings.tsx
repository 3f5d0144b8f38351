import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { capitalize } from '../format';
import type { Branding } from '../types';
import { contrast, palette } from '../../../widget/src/brand';

/**
 * The widget's and help centre's look. Widgets read it on every page load and each time they
 * open, so a change reaches every site within a minute without touching the snippet.
 */
export function BrandingSettings() {
  const [branding, setBranding] = useState<Branding | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.branding().then(
      (r) => setBranding(r.branding),
      (err: Error) => setError(err.message),
    );
  }, []);

  if (!branding) return error ? <p class="error">{error}</p> : <p class="muted">Loading branding…</p>;
  const set = (patch: Partial<Branding>) => {
    setDone('');
    setBranding({ ...branding, ...patch });
  };
  const p = palette(branding.brandColor);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      setBranding((await api.saveBranding(branding)).branding);
      setDone('Saved. Widgets pick it up on their next page load or open.');
    } catch (err) {
      setError(capitalize(err instanceof Error ? err.message : 'Could not save.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="branding-settings">
      <h3 id="branding-settings">Widget and help centre</h3>
      <form class="stack" onSubmit={save} data-testid="branding-form">
        <label for="brand-color">Brand colour</label>
        <span class="row">
          <input id="brand-color" type="color" value={branding.brandColor} onInput={(e) => set({ brandColor: e.currentTarget.value })} data-testid="brand-color" />
          <span class="brand-preview" style={{ background: p.brand, color: p.on }}>
            Header text {contrast(p.brand, p.on).toFixed(1)}:1
          </span>
          <span class="brand-preview" style={{ color: p.ink, background: '#fff' }}>
            Links {contrast(p.ink, '#ffffff').toFixed(1)}:1
          </span>
        </span>
        <p class="hint">Text on the colour is picked for contrast automatically; links use a darker shade where needed.</p>
        <label for="brand-position">Launcher position</label>
        <select id="brand-position" value={branding.position} onChange={(e) => set({ position: e.currentTarget.value as Branding['position'] })}>
          <option value="right">Bottom right</option>
          <option value="left">Bottom left</option>
        </select>
        <label for="brand-team">Team name</label>
        <input id="brand-team" maxLength={60} value={branding.teamName} placeholder="The snippet's data-title, or “Support”" onInput={(e) => set({ teamName: e.currentTarget.value })} data-testid="brand-team" />
        <label for="brand-greeting">Greeting</label>
        <textarea id="brand-greeting" maxLength={300} rows={2} value={branding.greeting} placeholder="Empty: a friendly default in the visitor's language" onInput={(e) => set({ greeting: e.currentTarget.value })} />
        <label for="brand-logo">Logo URL (https)</label>
        <input id="brand-logo" type="url" maxLength={500} value={branding.logoUrl} placeholder="https://…/logo.png" onInput={(e) => set({ logoUrl: e.currentTarget.value })} />
        <label for="brand-help">Help centre name</label>
        <input id="brand-help" required maxLength={60} value={branding.helpCentreName} onInput={(e) => set({ helpCentreName: e.currentTarget.value })} />
        <label class="check">
          <input type="checkbox" checked={branding.showAvatars} onChange={(e) => set({ showAvatars: e.currentTarget.checked })} /> Show avatars beside messages
        </label>
        <label class="check">
          <input type="checkbox" checked={branding.showPresence} onChange={(e) => set({ showPresence: e.currentTarget.checked })} /> Show who is online in the header
        </label>
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
        <button type="submit" class="primary" disabled={busy} data-testid="branding-save">
          Save branding
        </button>
      </form>
    </section>
  );
}
