/**
 * The runbook HTML's own classes (format-html.ts `mt-*`), for pages that show a runbook: the web
 * incident page and the standalone `diagnose --format html` document. The email inlines its styles.
 */
export const RUNBOOK_CSS = `
.mt-title{font-size:1.15rem;margin:.2rem 0}.mt-meta{color:#57606a;font-size:.85rem}.mt-h{font-size:1rem;margin:1.2rem 0 .4rem}
.mt-badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;font-weight:600;color:#fff;background:#57606a}
[data-severity=critical] .mt-badge{background:#cf222e}[data-severity=warning] .mt-badge{background:#9a6700}[data-severity=info] .mt-badge{background:#0969da}
.mt-table{border-collapse:collapse;width:100%}.mt-td{border-bottom:1px solid #d0d7de;padding:.3rem .4rem;vertical-align:top}
.mt-ok{color:#1a7f37;font-weight:700}.mt-fail{color:#cf222e;font-weight:700}
.mt-pre{white-space:pre;overflow-x:auto;background:#f6f8fa}.mt-code{background:#eff1f3;padding:0 .2rem;border-radius:.2rem}
.mt-figure{margin:.5rem 0}
.mt-article svg{max-width:100%;height:auto}
`;
