import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Session } from '../types';

interface Props {
  setupNeeded: boolean;
  notice?: string | undefined;
  onSignedIn(session: Session): void;
}

/** Sign-in form, or the first-run form that creates the first admin. */
export function Login({ setupNeeded, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const session = setupNeeded ? await api.setup({ code: code.trim(), email: email.trim(), name: name.trim(), password }) : await api.login(email.trim(), password);
      onSignedIn(session);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong email or password.');
      else if (err instanceof ApiError && err.status === 403 && setupNeeded) setError('Wrong set-up code. Use the code printed in the server log when it started.');
      else if (err instanceof ApiError && err.status === 429) setError(sentence(err.message));
      else setError(err instanceof Error ? sentence(err.message) : 'Sign-in failed.');
      setBusy(false);
    }
  };

  return (
    <main class="center-page" id="main">
      <form class="card login" onSubmit={submit} aria-labelledby="login-title" noValidate={false}>
        <h1 id="login-title">{setupNeeded ? 'Set up answerdesk' : 'Sign in to answerdesk'}</h1>
        {setupNeeded && (
          <p class="muted" id="setup-hint">
            No agent exists yet. Create the first admin account with the one-time set-up code the server printed in its log when it started (or run <code>npm run agent:add</code>).
          </p>
        )}
        {notice && !error && <p class="notice">{notice}</p>}
        {setupNeeded && (
          <>
            <label for="setup-code">Set-up code</label>
            <input
              id="setup-code"
              data-testid="setup-code"
              type="text"
              autocomplete="one-time-code"
              autocapitalize="characters"
              spellcheck={false}
              required
              maxLength={64}
              aria-describedby="setup-hint"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </>
        )}
        <label for="login-email">Email</label>
        <input
          id="login-email"
          data-testid="login-email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        {setupNeeded && (
          <>
            <label for="login-name">Name</label>
            <input id="login-name" data-testid="login-name" type="text" autocomplete="name" required maxLength={80} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </>
        )}
        <label for="login-password">Password</label>
        <input
          id="login-password"
          data-testid="login-password"
          type="password"
          autocomplete={setupNeeded ? 'new-password' : 'current-password'}
          required
          minLength={setupNeeded ? 10 : undefined}
          aria-describedby={setupNeeded ? 'password-hint' : undefined}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {setupNeeded && (
          <p id="password-hint" class="hint">
            At least 10 characters.
          </p>
        )}
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          {busy ? 'Please wait…' : setupNeeded ? 'Create admin and sign in' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const sentence = (s: string) => {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};
