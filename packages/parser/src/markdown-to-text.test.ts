import { describe, expect, it } from 'vitest';
import { markdownToText } from './markdown-to-text.js';

describe('markdownToText', () => {
  it.each([
    ['ATX headings', '## Terms ##', 'Terms'],
    ['setext headings', 'Terms\n=====\n\nbody', 'Terms\n\nbody'],
    [
      'emphasis',
      'a **bold**, *italic*, __strong__, _em_ and ~~gone~~ word',
      'a bold, italic, strong, em and gone word',
    ],
    [
      'links and images',
      'see [the terms](https://x.test/t "T") and ![a logo](logo.png)',
      'see the terms and a logo',
    ],
    ['reference links', 'see [the terms][1]\n\n[1]: https://x.test/t', 'see the terms'],
    ['autolinks', 'mail <mailto:a@b.test> or <https://x.test>', 'mail mailto:a@b.test or https://x.test'],
    ['inline code', 'run `npm test` now', 'run npm test now'],
    ['blockquotes', '> quoted\n> > twice', 'quoted\ntwice'],
    ['bullets and task items', '* one\n+ two\n  - [x] done', '- one\n- two\n  - done'],
    ['ordered lists', '1. first\n2) second', '1. first\n2) second'],
    ['tables', '| a | b |\n|:--|--:|\n| 1 | 2 |', 'a\tb\n1\t2'],
    ['thematic breaks', 'above\n\n---\n\nbelow', 'above\n\nbelow'],
    ['inline HTML and entities', 'a<br>b &amp; <span class="x">c</span>', 'ab & c'],
    ['escaped markup characters', 'price \\*not emphasis\\* \\# 5', 'price *not emphasis* # 5'],
    ['snake_case words', 'call get_user_name please', 'call get_user_name please'],
  ])('strips %s', (_name, markdown, text) => {
    expect(markdownToText(markdown)).toBe(text);
  });

  it('keeps fenced code verbatim, markup included', () => {
    expect(markdownToText('before\n\n```md\n# not a heading\n**x**\n```\n\nafter')).toBe(
      'before\n\n# not a heading\n**x**\n\nafter',
    );
  });
});
