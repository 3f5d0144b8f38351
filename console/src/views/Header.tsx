import type { ConnectionState } from '../events';
import { pathOf, type Route } from '../routes';
import type { AgentInfo } from '../types';

interface Props {
  me: AgentInfo;
  route: Route;
  presence: 'online' | 'away';
  connection: ConnectionState;
  onNavigate(route: Route): void;
  onPresence(p: 'online' | 'away'): void;
  onSettings(): void;
  onLogout(): void;
}

const CONNECTION_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

export function Header({ me, route, presence, connection, onNavigate, onPresence, onSettings, onLogout }: Props) {
  const link = (target: Route, label: string) => (
    <a
      href={pathOf(target)}
      aria-current={route === target ? 'page' : undefined}
      data-testid={`nav-${target}`}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        onNavigate(target);
      }}
    >
      {label}
    </a>
  );
  const next = presence === 'online' ? 'away' : 'online';
  return (
    <header class="app-header">
      <span class="brand">answerdesk</span>
      <nav aria-label="Console">
        {link('queue', 'Queue')}
        {link('dashboard', 'Dashboard')}
        {link('knowledge', 'Knowledge')}
        {link('improve', 'Improve the bot')}
      </nav>
      <span class={`connection connection-${connection}`} title="Live updates">
        <span class="dot" aria-hidden="true" />
        {CONNECTION_LABEL[connection]}
      </span>
      <div class="header-end">
        <span class="who">
          <span class="who-name" data-testid="agent-name">
            {me.name}
          </span>
          {me.role !== 'agent' && <span class="badge">{me.role}</span>}
        </span>
        <button
          type="button"
          class={`presence presence-${presence}`}
          title={`You are ${presence}. Click to switch to ${next}.`}
          data-testid="presence-toggle"
          onClick={() => onPresence(next)}
        >
          <span class="dot" aria-hidden="true" />
          Status: {presence === 'online' ? 'Online' : 'Away'}
          <span class="sr-only"> (switch to {next})</span>
        </button>
        {me.role === 'admin' && (
          <button type="button" class="ghost" onClick={onSettings} data-testid="open-settings">
            Settings
          </button>
        )}
        <button type="button" class="ghost" onClick={onLogout} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}
