import type { ComponentChildren } from 'preact';
import { type Inline, parseMarkdown } from '../../../server/domain/markdown';

/**
 * A message's Markdown subset as preact elements — built from the shared parser's tree, so
 * text is always a text node and only http(s)/mailto links exist (no HTML is ever parsed).
 */
export function Rich({ text }: { text: string }) {
  return (
    <>
      {parseMarkdown(text).map((b, i) =>
        b.t === 'p' ? (
          <p key={i}>{inline(b.c)}</p>
        ) : b.t === 'ul' ? (
          <ul key={i}>{b.items.map((item, j) => <li key={j}>{inline(item)}</li>)}</ul>
        ) : (
          <ol key={i}>{b.items.map((item, j) => <li key={j}>{inline(item)}</li>)}</ol>
        ),
      )}
    </>
  );
}

function inline(nodes: Inline[]): ComponentChildren {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return n.v;
      case 'br':
        return <br key={i} />;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'b':
        return <strong key={i}>{inline(n.c)}</strong>;
      case 'i':
        return <em key={i}>{inline(n.c)}</em>;
      case 'a':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow">
            {inline(n.c)}
          </a>
        );
    }
  });
}
