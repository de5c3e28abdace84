import { describe, expect, it } from 'vitest';
import { esc, formatRunbookHtml } from '../../../engine/runbook/format/format-html.js';
import { renderRunbook } from '../../../engine/runbook/index.js';
import { mapLeak } from '../../fixtures/runbook/hand-diagnoses.js';

describe('HTML fragment', () => {
  it('escapes markup and quotes and removes control characters', () => {
    expect(esc(`<a href="x" onclick='y'>&\u0007`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;',
    );
  });

  it('is an <article> with classes, an inline SVG chart and an ordered list of steps', () => {
    const html = formatRunbookHtml(renderRunbook(mapLeak()));
    expect(html.startsWith('<article class="mt-article" data-severity="critical">')).toBe(true);
    expect(html.endsWith('</article>')).toBe(true);
    expect(html).toContain('<h2 class="mt-title">dedupd: a map grows without bound</h2>');
    expect(html).toContain('<figure class="mt-figure"><svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toMatch(
      /<ol class="mt-ol"><li class="mt-li">Save the evidence now[^]*<pre class="mt-pre"><code class="language-sh">curl -s -o heap-1\.pb\.gz http:\/\/&lt;host:port&gt;/,
    );
    expect(html).toContain(
      '<a href="https://github.com/golang/go/issues/20135" rel="noopener noreferrer" class="mt-a">',
    );
    expect(html).not.toContain('style="');
  });
});
