import { RUNBOOK_CSS } from '../../runbook/format/runbook-css.js';
import { escapeHtml } from '../../runbook/index.js';

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Html | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

export function raw(trusted: string): Html {
  return new Html(trusted);
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-size:.85rem;color:#57606a}td.num{text-align:right;white-space:nowrap}
.table-wrap{overflow-x:auto}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}pre{background:#fff;border:1px solid #d0d7de;padding:.6rem;overflow-x:auto}
.sev{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;font-weight:600;color:#fff;background:#57606a}
.sev-critical{background:#cf222e}.sev-warning{background:#9a6700}.sev-info{background:#0969da}
.status-resolved{color:#1a7f37}.status-firing{color:#cf222e}
.incidents tr.incident:has(+ tr.alert-summary) td{border-bottom:0}
.incidents tr.alert-summary td{color:#57606a;font-size:.85rem;padding-top:0;overflow-wrap:anywhere}
.incidents td.when{white-space:nowrap}.incidents td.when .muted{display:block;font-size:.8rem}
form.filters a.clear{align-self:flex-end;padding:.3rem 0}
form.filters{display:flex;gap:.5rem;flex-wrap:wrap;margin-bottom:1rem}form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:#57606a}
form.filters input,form.filters select,form.filters button{font:inherit;padding:.3rem .4rem}
.pager{display:flex;gap:1rem;margin:1rem 0}.muted{color:#57606a}
.runbook{background:#fff;border:1px solid #d0d7de;padding:.8rem 1rem;overflow-wrap:anywhere}
.runbook svg{max-width:100%;height:auto}
.phone{display:none}
@media (max-width:40rem){th.wide,td.wide{display:none}main{padding:.6rem}.phone{display:block;font-size:.8rem;overflow-wrap:anywhere}.incidents td.when time{display:none}.incidents td.when .muted{font-size:.85rem}.incidents td,.incidents th{padding:.35rem .3rem}}
`;

/** The page shell: server-rendered, readable on a phone, no JavaScript. */
export function page(title: string, body: Html): string {
  return `<!doctype html>
${
  html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <title>${title} · memtriage</title>
      <style>
        ${raw(CSS + RUNBOOK_CSS)}
      </style>
    </head>
    <body>
      <header>
        <a class="brand" href="/">memtriage</a><a href="/">Incidents</a><a href="/rules">Rules</a>
      </header>
      <main>${body}</main>
    </body>
  </html>`.value
}\n`;
}
