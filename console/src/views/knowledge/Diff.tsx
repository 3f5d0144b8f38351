import { diffLines } from 'diff';
import type { ArticleContent } from './api';

/** An article as text, field by field, so one line diff shows every change. */
export function asText(c: ArticleContent): string {
  return [`Title: ${c.title}`, `Category: ${c.category}`, `Tags: ${c.tags.join(', ')}`, `Language: ${c.locale}`, `Summary: ${c.summary}`, '', c.body, '', 'Customers ask:', ...c.phrasings.map((p) => `- ${p}`)].join('\n');
}

/** Line diff (jsdiff) between two versions: removed lines red, added green. */
export function ContentDiff({ before, after, beforeLabel, afterLabel }: { before: ArticleContent; after: ArticleContent; beforeLabel: string; afterLabel: string }) {
  const parts = diffLines(asText(before), asText(after));
  return (
    <div class="kb-diff" data-testid="kb-diff">
      <p class="muted">
        <span class="kb-del">− {beforeLabel}</span> <span class="kb-ins">+ {afterLabel}</span>
      </p>
      <pre>
        {parts.map((p, i) => (
          <span key={i} class={p.added ? 'kb-ins' : p.removed ? 'kb-del' : 'kb-same'}>
            {p.value
              .replace(/\n$/, '')
              .split('\n')
              .map((l) => `${p.added ? '+ ' : p.removed ? '− ' : '  '}${l}\n`)
              .join('')}
          </span>
        ))}
      </pre>
    </div>
  );
}
