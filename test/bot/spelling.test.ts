import { describe, expect, it } from 'vitest';
import { Spelling } from '../../bot/spelling';

const helpCentre = ['Change your email address', 'Change the billing email', 'Download invoices and receipts', 'Reset your password', 'Connect Tidyflow to Slack'];
const english = new Set(['hello', 'trellis', 'chance']);
const spelling = new Spelling(helpCentre, [], (w) => english.has(w));

describe('spelling correction against the help centre', () => {
  it('corrects one swap, insertion, deletion or substitution per word to the help centre word', () => {
    expect(spelling.correct('how do i chnage my emial')).toBe('how do i change my email');
    expect(spelling.correct('Downlooad invoces')).toBe('download invoices');
    expect(spelling.correct('reset pasword')).toBe('reset password');
  });

  it('leaves known words, English words, short words and names the help centre never uses alone', () => {
    for (const text of ['Change your email', 'say hello', 'trello import', 'chance', 'teh bill', '']) expect(spelling.correct(text)).toBe(text);
  });

  it("corrects a help centre's own typo towards its more frequent spelling", () => {
    const withTypo = new Spelling(helpCentre, ['chnage payment card'], (w) => english.has(w));
    expect(withTypo.correct('chnage my card')).toBe('change my card');
  });

  it('never corrects a word the editors wrote, however close to a more frequent one', () => {
    const sso = new Spelling([...helpCentre, 'Sign in with Microsoft Entra ID', 'Enter the code', 'Enter your domain'], [], (w) => english.has(w));
    expect(sso.correct('entra id')).toBe('entra id');
  });

  it('returns the text itself when nothing is corrected, and never throws on hostile input', () => {
    const text = 'x'.repeat(5000);
    expect(spelling.correct(text)).toBe(text);
    for (const hostile of ['<script>alert(1)</script>', '\u0000\u0007 ém\u0301ial', '__proto__ constructor', 'a~2 title:x -password']) {
      expect(typeof spelling.correct(hostile)).toBe('string');
    }
    expect(spelling.correct('__proto__')).toBe('__proto__');
  });
});
