import { describe, expect, it } from 'vitest';
import { markdownToHtml, markdownToText, parseInline, parseMarkdown } from '../../server/domain/markdown';

describe('the shared Markdown subset', () => {
  it('renders bold, italic, code, links and lists', () => {
    expect(markdownToHtml('**Bold** and *it* and `x<y`')).toBe('<p><strong>Bold</strong> and <em>it</em> and <code>x&lt;y</code></p>');
    expect(markdownToHtml('Steps:\n- one\n- two\n\n1. a\n2. b')).toBe('<p>Steps:</p><ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol>');
    expect(markdownToHtml('See [the guide](https://ex.com/a?b=1&c=2).')).toBe(
      '<p>See <a href="https://ex.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">the guide</a>.</p>',
    );
  });

  it('autolinks URLs, www. and e-mail addresses, leaving sentence punctuation outside', () => {
    expect(parseInline('Go to https://tidyflow.test/billing.')).toEqual([
      { t: 'text', v: 'Go to ' },
      { t: 'a', href: 'https://tidyflow.test/billing', c: [{ t: 'text', v: 'https://tidyflow.test/billing' }] },
      { t: 'text', v: '.' },
    ]);
    expect(parseInline('www.ex.com')[0]).toMatchObject({ t: 'a', href: 'https://www.ex.com' });
    expect(parseInline('mail help@ex.com now')[1]).toMatchObject({ t: 'a', href: 'mailto:help@ex.com' });
  });

  it('keeps HTML and unsafe links inert', () => {
    expect(markdownToHtml('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('href');
    expect(markdownToHtml('<img src=x onerror="a()">')).toBe('<p>&lt;img src=x onerror=&quot;a()&quot;&gt;</p>');
    expect(markdownToHtml('[click](data:text/html,hi)')).toBe('<p>click</p>');
  });

  it('does not treat snake_case or arithmetic as emphasis', () => {
    expect(markdownToText('use my_var_name and 2*3*4')).toBe('use my_var_name and 2*3*4');
  });

  it('keeps line breaks and gives plain text for previews', () => {
    expect(parseMarkdown('a\nb')).toEqual([{ t: 'p', c: [{ t: 'text', v: 'a' }, { t: 'br' }, { t: 'text', v: 'b' }] }]);
    expect(markdownToText('**Hi** see [docs](https://x.test)')).toBe('Hi see docs (https://x.test)');
  });
});
