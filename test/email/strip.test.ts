import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { stripReply } from '../../server/channels/email/strip';

/**
 * Quote and signature stripping on real-world reply layouts (saved as full MIME messages as
 * the clients send them): Gmail's "On … wrote:" with `>` quotes, Outlook's underscore rule and
 * "From: / Sent:" header block with a signature above it, Apple Mail's "Sent from my iPhone" and
 * "On …, at …, … wrote:".
 */
const fixture = async (name: string) => {
  const mail = await simpleParser(readFileSync(join(import.meta.dirname, 'fixtures', name)));
  return mail.text ?? '';
};

describe('reply stripping', () => {
  it('Gmail: keeps the answer and the name, drops "On … wrote:" and the quote', async () => {
    const out = stripReply(await fixture('gmail.eml'));
    expect(out).toContain('Perfect, I can see them now. Thanks a lot!');
    expect(out).not.toMatch(/wrote:|restored the invoices|Continue in chat/);
  });

  it('Outlook: drops the underscore rule, the From/Sent header block and what follows', async () => {
    const out = stripReply(await fixture('outlook.eml'));
    expect(out).toContain('The export still fails with error 502 when I pick PDF.');
    expect(out).not.toMatch(/From: Tidyflow|Sent: Tuesday|the export is fixed|Continue in chat|_{10}/);
  });

  it('Apple Mail: drops "Sent from my iPhone" and the quoted original', async () => {
    const out = stripReply(await fixture('apple-mail.eml'));
    expect(out).toBe('Could you also send me the invoice for October?');
  });

  it('leaves a message without quotes alone', () => {
    expect(stripReply('Hello,\n\nI cannot log in since this morning.\n\nThanks')).toContain('I cannot log in since this morning.');
  });

  it('a reply that is only a quote comes back empty (the caller then keeps nothing)', () => {
    expect(stripReply('On Tue, Nov 24, 2026 at 5:01 PM Support <s@x.test> wrote:\n> hello\n')).toBe('');
  });
});
