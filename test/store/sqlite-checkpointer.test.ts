import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open';

/**
 * SQLite's WAL is checkpointed by a worker thread's own connection, not inside a commit on the
 * serving thread: written pages reach the database file within about a second, although the
 * serving connection's own automatic checkpoint would wait for ~80 MB of WAL.
 */
describe('SQLite checkpoints off the serving thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'answerdesk-checkpoint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves committed pages from the WAL into the database file in the background', async () => {
    const path = join(dir, 'answerdesk.sqlite');
    const store = await openStore({ sqlitePath: path });
    try {
      // Let the checkpoint after the migrations pass, then measure from a settled file.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const before = statSync(path).size;
      const text = 'Please help me with the invoice for my team plan. '.repeat(20);
      const customer = await store.customers.save({ channel: 'web', name: 'Ana' });
      let last = '';
      for (let i = 0; i < 300; i++) {
        const { conversation } = await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: `t${i}` });
        await store.conversations.append({ conversationId: conversation.id, author: 'customer', content: { type: 'text', text: `${i} ${text}` } });
        last = conversation.id;
      }
      // Well under the serving connection's own threshold: without the worker it all stays in the WAL.
      const wal = statSync(`${path}-wal`).size;
      expect(wal).toBeGreaterThan(1_000_000);
      expect(wal).toBeLessThan(60_000_000);
      const deadline = Date.now() + 10_000;
      while (statSync(path).size < before + 500_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(statSync(path).size).toBeGreaterThanOrEqual(before + 500_000);
      expect(await store.conversations.listMessages(last)).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 30_000);
});
