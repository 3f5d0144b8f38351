import { stringify } from 'yaml';
import { words } from '../../knowledge/text';

/** A pre-filled article draft for a content gap: front matter, sections, and NLU examples. */
export function draftArticle(question: string, examples: string[]): { id: string; markdown: string; nlu: string } {
  const id = words(question).slice(0, 6).join('-').replace(/[^a-z0-9-]/g, '').slice(0, 60) || 'new-article';
  const intent = id.replace(/-/g, '_');
  const title = question.replace(/[?!.]+$/, '').trim().slice(0, 100);
  const frontMatter = stringify({ id, title: title.charAt(0).toUpperCase() + title.slice(1), category: 'troubleshooting', tags: [], locale: 'en', summary: 'Write one or two sentences that answer the question directly.', intents: [intent] });
  const markdown = `---\n${frontMatter}---\n\n## Answer\n\nExplain the answer in a few steps.\n\n## Customers asked\n\n${examples.map((e) => `- ${e}`).join('\n')}\n`;
  const nlu = stringify({ version: '3.1', nlu: [{ intent, examples: examples.map((e) => `- ${e}`).join('\n') + '\n' }] }, { blockQuote: 'literal' });
  return { id, markdown, nlu };
}
