import { useState } from 'preact/hooks';

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
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  if (done) {
    return (
      <div class="widget">
        <p>{text}</p>
        <p>{typeof done === 'string' ? `Thanks! We'll reply to ${done}.` : "Thanks! We'll reply by email."}</p>
      </div>
    );
  }
  const submit = (e: Event) => {
    e.preventDefault();
    const value = email.trim();
    if (!EMAIL.test(value) || value.length > 254) return setError('Please enter a valid email address.');
    setError('');
    onSubmit(value);
  };
  return (
    <form class="widget" onSubmit={submit} noValidate>
      <p>{text}</p>
      <label>
        Email address
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
          Send email address
        </button>
      </div>
    </form>
  );
}
