/** A secret shown once (an API key, a webhook signing secret), with a copy button. */
export function OnceSecret({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
  return (
    <div class="notice" role="status" data-testid="once-secret">
      <p>
        <strong>{label}</strong> — copy it now; it will not be shown again.
      </p>
      <p>
        <code class="secret">{value}</code>
      </p>
      <button type="button" class="small" onClick={() => void navigator.clipboard?.writeText(value)}>
        Copy
      </button>{' '}
      <button type="button" class="small ghost" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
