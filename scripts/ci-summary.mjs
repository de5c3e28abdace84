// Reads vitest's JSON report and prints `N passed, N failed, N skipped`. Under CI a skipped test
// fails the run unless test/allowed-skips.json lists its file with the reason: a suite that needs a
// tool this machine lacks must say so, not pass by doing nothing.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [reportPath = '.tmp/vitest.json', allowPath = 'test/allowed-skips.json'] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch {
  console.error('no vitest results (type-check or lint failed before the tests ran)');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const allowed = JSON.parse(readFileSync(allowPath, 'utf8')).skips ?? {};
const skipped = [];
for (const file of report.testResults ?? []) {
  // From the test folder on: the Node 24 run works in a copy of the tree under .tmp/.
  const at = file.name.lastIndexOf('/test/');
  const name = at >= 0 ? file.name.slice(at + 1) : relative(process.cwd(), file.name);
  for (const t of file.assertionResults ?? [])
    if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo')
      skipped.push({ file: name, title: t.fullName ?? t.title });
}
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
console.log(`${report.numPassedTests ?? 0} passed, ${failed} failed, ${skipped.length} skipped`);
let unexplained = 0;
for (const s of skipped) {
  const reason = allowed[s.file];
  console.log(`  skipped: ${s.file} › ${s.title}${reason ? ` (allowed: ${reason})` : ''}`);
  if (!reason) unexplained += 1;
}
if (process.env.CI && unexplained > 0) {
  console.error(`${unexplained} test(s) skipped in CI without a reason in ${allowPath}`);
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
