import { useState } from 'preact/hooks';
import { useUi } from './ui';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Props {
  text: string;
  /** Already given (here or earlier): show a thank-you instead of the form. */
  done: string | boolean;
  disabled?: boolean;
  onSubmit(email: string): void;
}

/** "Leave your email and we'll reply": sends `{kind:'email', email}`. */
export function EmailForm({ text, done, disabled, onSubmit }: Props) {
  const { t } = useUi();
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  if (done) {
    return (
      <div class="widget">
        <p>{text}</p>
        {typeof done === 'string' && <p class="done">✓ {done}</p>}
      </div>
    );
  }
  const submit = (e: Event) => {
    e.preventDefault();
    const value = email.trim();
    if (!EMAIL.test(value) || value.length > 254) return setError(t('emailBad'));
    setError('');
    onSubmit(value);
  };
  return (
    <form class="widget" onSubmit={submit} noValidate>
      <p>{text}</p>
      <label>
        {t('email')}
        <input
          class="field"
          type="email"
          autocomplete="email"
          required
          value={email}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {error && (
        <p class="err" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" class="primary" disabled={disabled}>
          {t('emailSend')}
        </button>
      </div>
    </form>
  );
}
