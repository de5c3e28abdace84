import { describe, expect, it } from 'vitest';
import {
  mdCodeBlock,
  mdCodeSpan,
  mdEscape,
  formatRunbookMarkdown,
} from '../../../engine/runbook/format/format-markdown.js';
import { renderRunbook } from '../../../engine/runbook/index.js';
import { mapLeak } from '../../fixtures/runbook/hand-diagnoses.js';

describe('CommonMark formatting', () => {
  it('escapes what could open markup, and block starts only at the start', () => {
    expect(mdEscape('*a* _b_ `c` [d](e) <f> &amp; |g| ~h~ !i')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f> \\&amp; \\|g\\| \\~h\\~ \\!i',
    );
    expect(mdEscape('# not a heading')).toBe('\\# not a heading');
    expect(mdEscape('1. not a list')).toBe('1\\. not a list');
    expect(mdEscape('1.6 MiB/s and a - b')).toBe('1.6 MiB/s and a - b');
    expect(mdEscape('line\nbreak\r\n# x')).toBe('line break # x');
  });

  it('fences code longer than any backtick run inside', () => {
    expect(mdCodeSpan('a`b')).toBe('``a`b``');
    expect(mdCodeSpan('`x`')).toBe('`` `x` ``');
    expect(mdCodeBlock('x\n```\ny', 'sh')).toBe('````sh\nx\n```\ny\n````');
    expect(mdCodeBlock('x', 'sh; rm')).toBe('```\nx\n```');
  });

  it('renders the whole runbook: title, meta, steps with indented commands, links', () => {
    const md = formatRunbookMarkdown(renderRunbook(mapLeak()));
    expect(
      md.startsWith(
        '# dedupd: a map grows without bound\n\n**CRITICAL** · service `dedupd` · incident `pub-dedupd`\n',
      ),
    ).toBe(true);
    expect(md).toContain('1. Save the evidence now');
    expect(md).toContain('\n   ```sh\n   curl -s -o heap-1.pb.gz http://<host:port>/debug/pprof/heap\n');
    expect(md).toContain(
      '- [golang/go#20135: maps do not shrink after deletes](<https://github.com/golang/go/issues/20135>)',
    );
    expect(md).toContain(
      '- ✅ **1.6 MiB/s** Least-squares slope of the live heap after each GC (`gctrace.liveHeapSlopeBytesPerSecond` > 256KiB)',
    );
    expect(md).not.toMatch(/\n{3,}/);
  });
});
