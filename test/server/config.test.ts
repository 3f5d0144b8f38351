import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('reads CSAT_ENABLED as a boolean, off by default', () => {
    expect(loadConfig({}).csat).toEqual({ enabled: false });
    for (const on of ['true', '1']) expect(loadConfig({ CSAT_ENABLED: on }).csat.enabled, on).toBe(true);
    for (const off of ['false', '0', '']) expect(loadConfig({ CSAT_ENABLED: off }).csat.enabled, off).toBe(false);
  });

  it('refuses a CSAT_ENABLED that is not a boolean, naming the variable', () => {
    expect(() => loadConfig({ CSAT_ENABLED: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ CSAT_ENABLED: 'maybe' })).toThrow(/CSAT_ENABLED/);
  });
});
