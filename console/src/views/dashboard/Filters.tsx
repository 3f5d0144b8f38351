import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { lastNDays } from '../../format';
import { type AgentInfo, CHANNEL_LABEL, CHANNELS } from '../../types';
import { attributeProblem, type DashboardFilters } from './filters';

const LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['fr', 'French'],
  ['de', 'German'],
  ['es', 'Spanish'],
];

/** Range, channel and the segments: any customer attribute, article, intent, agent, language. */
export function Filters({ value, onChange }: { value: DashboardFilters; onChange(next: DashboardFilters): void }) {
  const [agents, setAgents] = useState<AgentInfo[]>([]);
  const [attribute, setAttribute] = useState(value.attribute);
  useEffect(() => {
    api.agents().then((r) => setAgents(r.agents), () => setAgents([]));
  }, []);
  const set = (patch: Partial<DashboardFilters>) => onChange({ ...value, ...patch });
  const problem = attributeProblem(attribute);
  // Text fields apply when left or on Enter (onChange), not on every key.
  const text = (key: 'article' | 'intent', label: string, placeholder: string) => (
    <label>
      <span>{label}</span>
      <input type="text" size={14} value={value[key]} placeholder={placeholder} onChange={(e) => set({ [key]: e.currentTarget.value.trim() })} data-testid={`dashboard-${key}`} />
    </label>
  );
  return (
    <form class="dash-filters" onSubmit={(e) => e.preventDefault()} aria-label="Dashboard filters">
      <label>
        <span>From</span>
        <input type="date" value={value.from} max={value.to} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} data-testid="dashboard-from" />
      </label>
      <label>
        <span>To</span>
        <input type="date" value={value.to} min={value.from} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} data-testid="dashboard-to" />
      </label>
      <div class="presets" role="group" aria-label="Quick ranges">
        {[7, 30, 90].map((n) => (
          <button type="button" class="small" key={n} onClick={() => set(lastNDays(n))}>
            {n} days
          </button>
        ))}
      </div>
      <label>
        <span>Channel</span>
        <select value={value.channel} onChange={(e) => set({ channel: e.currentTarget.value })} data-testid="dashboard-channel">
          <option value="">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABEL[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Customer attribute</span>
        <input
          type="text"
          size={16}
          value={attribute}
          placeholder="plan=Business"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'attr-problem' : undefined}
          onInput={(e) => setAttribute(e.currentTarget.value)}
          onChange={(e) => !attributeProblem(e.currentTarget.value) && set({ attribute: e.currentTarget.value.trim() })}
          data-testid="dashboard-attribute"
        />
        {problem && (
          <span id="attr-problem" class="field-error">
            {problem}
          </span>
        )}
      </label>
      {text('article', 'Article', 'article id')}
      {text('intent', 'Intent', 'intent name')}
      <label>
        <span>Agent</span>
        <select value={value.agent} onChange={(e) => set({ agent: e.currentTarget.value })} data-testid="dashboard-agent">
          <option value="">Any agent</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Language</span>
        <select value={value.language} onChange={(e) => set({ language: e.currentTarget.value })} data-testid="dashboard-language">
          <option value="">Any language</option>
          {LANGUAGES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
