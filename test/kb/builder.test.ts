import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../bot/knowledge-bundle';
import { readFolder } from '../../server/kb/folder';
import { servingKnowledgeBase } from '../../server/kb/assemble';
import { BundleBuilder } from '../../server/kb/builder';
import { SAMPLE_KB_DIR } from '../support/fixtures';

describe('worker-thread knowledge build', () => {
  const builder = new BundleBuilder();
  afterAll(() => builder.close());

  it('gives the same answers as a build in this thread (weights and phrasing vectors handed over as buffers)', async () => {
    const doc = readFolder(SAMPLE_KB_DIR);
    // Drafts and their phrasings never reach the bot; out-of-scope examples become their own class.
    doc.articles.find((a) => a.id === 'refund-policy')!.state = 'draft';
    doc.outOfScope.push('tell me a joke about cats', 'what is the weather in Paris');
    const kb = servingKnowledgeBase(doc);
    expect(kb.articles.some((a) => a.id === 'refund-policy')).toBe(false);
    expect(kb.intents.find((i) => i.name === 'out_of_scope')?.examples).toEqual(['tell me a joke about cats', 'what is the weather in Paris']);
    const local = buildBundle(kb);
    const remote = await builder.build(kb);
    expect(builder.lastSteps.map((s) => s.name)).toEqual(['load search index', 'parse classifier', 'load classifier']);
    if (process.platform === 'linux') for (const s of builder.lastSteps) expect(s.cpuMs).toBeGreaterThanOrEqual(0);
    for (const q of ['I forgot my password', 'how do I get a refund', 'can I pay by invoice', 'tell me a joke', 'Kann ich per Rechnung zahlen?', '']) {
      expect(remote.classifier.predict(q, 5)).toEqual(local.classifier.predict(q, 5));
      expect(remote.search.search(q, { limit: 5 })).toEqual(local.search.search(q, { limit: 5 }));
    }
  }, 60_000);
});
