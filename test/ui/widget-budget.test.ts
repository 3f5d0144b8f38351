import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, PANEL_BUDGET_GZIP, WIDGET_BUDGET_GZIP } from '../../widget/build';

const out = mkdtempSync(join(tmpdir(), 'answerdesk-widget-budget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('widget size budgets (gzip level 9, a fresh production build)', () => {
  it('keeps widget.js ≤ 20 KB before the first click and panel.js ≤ 25 KB on open', async () => {
    const files = await buildWidget({ outDir: out });
    const size = (name: string) => files.find((f) => f.file.endsWith(name))!.gzipBytes;
    expect(size('widget.js')).toBeGreaterThan(1000);
    expect(size('widget.js'), 'widget.js gzipped').toBeLessThanOrEqual(WIDGET_BUDGET_GZIP);
    expect(size('panel.js'), 'panel.js gzipped').toBeLessThanOrEqual(PANEL_BUDGET_GZIP);
  });
});
