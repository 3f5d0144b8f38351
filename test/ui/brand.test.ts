import { describe, expect, it } from 'vitest';
import { contrast, palette } from '../../widget/src/brand';

describe('brand palette', () => {
  it('keeps text on the brand colour and the brand colour on white readable (WCAG AA)', () => {
    for (const colour of ['#0f766e', '#14b8a6', '#fde047', '#ffffff', '#000000', '#e11d48', '#1d4ed8', '#a3e635']) {
      const p = palette(colour);
      expect(contrast(p.brand, p.on), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.ink, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.ink, p.soft), colour).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('uses dark text on a light brand colour and white on a dark one', () => {
    expect(palette('#fde047').on).not.toBe('#ffffff');
    expect(palette('#0f766e').on).toBe('#ffffff');
  });

  it('falls back to the default for a malformed colour', () => {
    expect(palette('red').brand).toBe('#1d4ed8');
  });
});
