import type { ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthorizedHandler } from './api';
import { ConsoleEvents, type ConnectionState } from './events';
import { useConsoleEvents } from './hooks';
import { pathOf, type Route, routeOf } from './routes';
import type { AgentInfo, CannedResponse, Session } from './types';
import { Header } from './views/Header';
import { Login } from './views/Login';
import { LAST_TICKET_KEY, QueuePage } from './views/Queue';
import { Settings } from './views/Settings';
import { WebhookNotice } from './views/integrations/WebhookNotice';

type Boot = { kind: 'loading' } | { kind: 'signed-out'; setupNeeded: boolean; message?: string } | { kind: 'ready'; session: Session } | { kind: 'error'; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const signedOut = useCallback(async (message?: string) => {
    setCsrfToken(null);
    let setupNeeded = false;
    try {
      setupNeeded = (await api.setupNeeded()).needed;
    } catch {
      // If this fails the sign-in form is still the right thing to show.
    }
    setBoot({ kind: 'signed-out', setupNeeded, ...(message ? { message } : {}) });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => void signedOut('Your session ended. Please sign in again.'));
    api
      .me()
      .then((session) => {
        setCsrfToken(session.csrfToken);
        setBoot({ kind: 'ready', session });
      })
      .catch((err: { status?: number; message?: string }) => {
        if (err.status === 401) void signedOut();
        else setBoot({ kind: 'error', message: err.message ?? 'The console could not start.' });
      });
    return () => setUnauthorizedHandler(null);
  }, [signedOut]);

  const onSignedIn = (session: Session) => {
    setCsrfToken(session.csrfToken);
    setBoot({ kind: 'ready', session });
  };

  if (boot.kind === 'loading') return <p class="boot">Loading the console…</p>;
  if (boot.kind === 'error')
    return (
      <main class="center-page">
        <div class="card" role="alert">
          <h1>answerdesk</h1>
          <p>{boot.message}</p>
          <button type="button" onClick={() => location.reload()}>
            Try again
          </button>
        </div>
      </main>
    );
  if (boot.kind === 'signed-out') return <Login setupNeeded={boot.setupNeeded} notice={boot.message} onSignedIn={onSignedIn} />;
  return <Console session={boot.session} onSignedOut={() => void signedOut()} />;
}

const PRESENCE_INTERVAL_MS = 60_000;

function Console({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const me = session.agent;
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname));
  const [presence, setPresence] = useState<'online' | 'away'>('online');
  const [agents, setAgents] = useState<AgentInfo[]>([]);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const events = useMemo(() => new ConsoleEvents(), []);

  useEffect(() => {
    events.start();
    const off = events.onState((s) => setConnection(s));
    return () => {
      off();
      events.stop();
    };
  }, [events]);

  const loadAgents = useCallback(() => {
    api
      .agents()
      .then((r) => setAgents(r.agents))
      .catch(() => undefined);
  }, []);
  const loadCanned = useCallback(() => {
    api
      .canned()
      .then((r) => setCanned(r.responses))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    loadAgents();
    loadCanned();
  }, [loadAgents, loadCanned]);
  useConsoleEvents(
    events,
    (e) => {
      if (e.type === 'presence') loadAgents();
    },
    loadAgents,
  );

  // Presence: say we are here now and every minute while the console is open.
  useEffect(() => {
    const send = () => void api.presence(presence).catch(() => undefined);
    send();
    const timer = setInterval(send, PRESENCE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [presence]);

  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = (next: Route) => {
    if (next === route) return;
    history.pushState(null, '', pathOf(next) + (next === 'queue' ? (sessionStorage.getItem(LAST_TICKET_KEY) ?? '') : ''));
    setRoute(next);
  };

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // Signed out locally either way.
    }
    events.stop();
    document.title = 'answerdesk';
    onSignedOut();
  };

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <Header
        me={me}
        route={route}
        presence={presence}
        connection={connection}
        onNavigate={navigate}
        onPresence={setPresence}
        onSettings={() => setSettingsOpen(true)}
        onLogout={() => void logout()}
      />
      <WebhookNotice isAdmin={me.role === 'admin'} recheck={settingsOpen} onOpenSettings={() => setSettingsOpen(true)} />
      <main id="main" class={`main main-${route}`} tabIndex={-1}>
        {route === 'dashboard' ? (
          <LazyDashboard />
        ) : route === 'knowledge' || route === 'improve' ? (
          <LazyKnowledge route={route} onOpenEditor={() => { history.pushState(null, '', `${pathOf('knowledge')}?new=inbox`); setRoute('knowledge'); }} />
        ) : (
          <QueuePage me={me} agents={agents} canned={canned} events={events} onNotice={setNotice} />
        )}
      </main>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="live-notice">
        {notice}
      </div>
      {settingsOpen && me.role === 'admin' && (
        <Settings
          canned={canned}
          agents={agents}
          onClose={() => setSettingsOpen(false)}
          onCannedChanged={loadCanned}
          onAgentsChanged={loadAgents}
        />
      )}
    </div>
  );
}

/** The dashboard (and uPlot) load on demand: agents who never open it never download it. */
function LazyDashboard() {
  const [View, setView] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('./views/dashboard/Dashboard')
      .then((m) => live && setView(() => m.Dashboard))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  if (failed) return <p role="alert">The dashboard could not be loaded. Reload the page to try again.</p>;
  return View ? <View /> : <p class="muted pad">Loading the dashboard…</p>;
}

/** Knowledge and "Improve the bot" (issue 14) load on demand, like the dashboard. */
function LazyKnowledge({ route, onOpenEditor }: { route: 'knowledge' | 'improve'; onOpenEditor(): void }) {
  const [views, setViews] = useState<typeof import('./views/knowledge/views') | null>(null);
  useEffect(() => {
    void import('./views/knowledge/views').then(setViews);
  }, []);
  if (!views) return <p class="muted pad">Loading…</p>;
  return route === 'knowledge' ? <views.KnowledgePage /> : <views.ImprovePage onOpenEditor={onOpenEditor} />;
}
