import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';
import { seedTicket } from '../support/tickets';

/** The issue-16 store area (settings, canned edits, attachments) on SQLite and PostgreSQL; search: ticket-search.test.ts. */
for (const backend of BACKENDS) {
  describe(`ui store (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    beforeAll(async () => {
      if (available) store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    const ticketFor = (name: string, email: string, subject: string, texts: string[]) => seedTicket(store, { name, email, subject, texts });

    it.skipIf(!available)('ships a few canned responses and lets them be edited', async () => {
      const canned = await store.agents.listCanned();
      expect(canned.length).toBeGreaterThanOrEqual(4);
      const edited = await store.ui.updateCanned(canned[0]!.id, { title: 'Hello', body: 'Hi **there**' });
      expect(edited).toEqual({ id: canned[0]!.id, title: 'Hello', body: 'Hi **there**' });
      expect(await store.ui.updateCanned('no-such-id', { title: 'x', body: 'y' })).toBeUndefined();
    });

    it.skipIf(!available)('keeps settings as JSON per key, last write wins', async () => {
      expect(await store.ui.getSetting('branding')).toBeUndefined();
      await store.ui.setSetting('branding', { brandColor: '#0f766e' });
      await store.ui.setSetting('branding', { brandColor: '#14b8a6', position: 'left' });
      expect(await store.ui.getSetting('branding')).toEqual({ brandColor: '#14b8a6', position: 'left' });
    });

    it.skipIf(!available)('lists the ticket of each conversation', async () => {
      const a = await ticketFor('Grace Hopper', 'grace@navy.test', 'Invoice is wrong', ['My invoice shows the wrong VAT number']);
      expect(await store.ui.ticketsOf([a.conversationId])).toEqual([{ id: a.id, conversationId: a.conversationId, subject: 'Invoice is wrong' }]);
    });

    it.skipIf(!available)('counts article views, concurrent ones too, and ranks the most viewed', async () => {
      await Promise.all(Array.from({ length: 12 }, () => store.ui.countView('reset-password')));
      await store.ui.countView('invoices');
      expect(await store.ui.mostViewed(5)).toEqual([
        { articleId: 'reset-password', views: 12 },
        { articleId: 'invoices', views: 1 },
      ]);
    });

    it.skipIf(!available)('stores attachments in the database, byte for byte', async () => {
      const t = await ticketFor('Ada', 'ada@x.test', 'File', ['see file']);
      const data = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 255, 1, 2]);
      const saved = await store.ui.saveAttachment({ conversationId: t.conversationId, name: 'a.pdf', mime: 'application/pdf', data, uploadedBy: 'customer' });
      const back = await store.ui.attachment(saved.id);
      expect(back).toMatchObject({ name: 'a.pdf', mime: 'application/pdf', size: 8, conversationId: t.conversationId });
      expect([...back!.data]).toEqual([...data]);
      expect(await store.ui.attachment('nope')).toBeUndefined();
    });
  });
}
