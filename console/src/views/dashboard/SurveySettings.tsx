import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../../api';
import type { SurveySettings as Settings } from '../../../../server/metrics/survey-settings';

/**
 * Which surveys follow a resolution: CES always; CSAT and NPS switched on here, each asked at
 * most once per conversation and at most once per customer in the number of days chosen.
 */
export function SurveySettings() {
  const [value, setValue] = useState<Settings | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    request<Settings>('GET', '/api/settings/surveys').then(setValue, () => setValue(null));
  }, []);
  if (!value) return null;
  const save = async (patch: Partial<Settings>) => {
    try {
      setValue(await request<Settings>('PATCH', '/api/settings/surveys', patch));
      setStatus({ ok: true, text: 'Saved.' });
    } catch (err) {
      setStatus({ ok: false, text: err instanceof ApiError ? err.message : 'Could not save.' });
    }
  };
  return (
    <section aria-labelledby="survey-settings">
      <h3 id="survey-settings">Surveys after a resolution</h3>
      <p class="muted small">The effort question (CES) is always asked. These follow its answer.</p>
      <label class="check">
        <input type="checkbox" checked={value.csat} onChange={(e) => void save({ csat: e.currentTarget.checked })} data-testid="settings-csat" /> Satisfaction (CSAT, 1–5)
      </label>
      <label class="check">
        <input type="checkbox" checked={value.nps} onChange={(e) => void save({ nps: e.currentTarget.checked })} data-testid="settings-nps" /> Net Promoter Score (0–10)
      </label>
      <label>
        Ask the same customer at most once in{' '}
        <input
          type="number"
          min={0}
          max={365}
          value={value.customerIntervalDays}
          onChange={(e) => {
            const days = Number(e.currentTarget.value);
            if (Number.isInteger(days) && days >= 0 && days <= 365) void save({ customerIntervalDays: days });
          }}
          data-testid="settings-survey-days"
          style={{ width: '5em' }}
        />{' '}
        days
      </label>
      {status && (
        <p class={status.ok ? 'success' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
