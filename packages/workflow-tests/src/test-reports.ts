import type { TestCaseResult } from './run-test-case.js';
import type { TestSuiteResult } from './run-test-suite.js';

/** The report formats `weft test --reporter` knows. */
export type TestReporter = 'junit' | 'tap' | 'json';

const xml = (s: string) =>
  s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** Each failed part of a case, as text: unmocked nodes, then failed assertions with their diffs. */
export function failureLines(c: TestCaseResult): string[] {
  const lines = c.unmocked.map(
    (u) => `unmocked side effect: node "${u.node}" (${u.type}, ${u.sideEffects}) would run; add a mock for it`,
  );
  for (const a of c.assertions) {
    if (a.passed) continue;
    lines.push(`✗ ${a.label}: ${a.message ?? 'failed'}`);
    for (const d of a.diff ?? []) lines.push(`    ${d}`);
  }
  return lines;
}

/**
 * A JUnit XML report (the `testsuites` / `testsuite` / `testcase` / `failure` shape CI servers read):
 * one test case per case, a failure holding each failed assertion with its diff.
 *
 * @example
 * ```ts
 * writeFileSync('junit.xml', junitReport([result]));
 * ```
 */
export function junitReport(results: readonly TestSuiteResult[]): string {
  const total = results.reduce((n, r) => n + r.total, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const time = results.reduce((n, r) => n + r.durationMs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="weft" tests="${total}" failures="${failed}" errors="0" time="${seconds(time)}">`,
  ];
  for (const r of results) {
    out.push(
      `  <testsuite name="${xml(r.workflow)}" tests="${r.total}" failures="${r.failed}" errors="0" skipped="0" time="${seconds(r.durationMs)}" timestamp="${new Date(r.startedAt).toISOString().slice(0, 19)}">`,
    );
    for (const c of r.cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(r.workflow)}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      const lines = failureLines(c);
      const first = lines.length === 1 ? lines[0] : `${lines.filter((l) => !l.startsWith(' ')).length} failures`;
      out.push(`${open}>`);
      out.push(
        `      <failure message="${xml(first ?? 'failed')}" type="AssertionError">${xml(lines.join('\n'))}</failure>`,
      );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/**
 * A TAP version 13 report: one test point per case, failures with a YAML block of their diffs.
 *
 * @example
 * ```ts
 * console.log(tapReport([result]));
 * ```
 */
export function tapReport(results: readonly TestSuiteResult[]): string {
  const cases = results.flatMap((r) => r.cases.map((c) => ({ r, c })));
  const out = ['TAP version 13', `1..${cases.length}`];
  cases.forEach(({ r, c }, i) => {
    const name = `${r.workflow} › ${c.name}`.replace(/#/g, '\\#');
    out.push(`${c.status === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
    if (c.status === 'passed') return;
    out.push('  ---', `  duration_ms: ${c.durationMs.toFixed(1)}`, '  failures: |');
    for (const l of failureLines(c)) out.push(`    ${l}`);
    out.push('  ...');
  });
  const failed = cases.filter(({ c }) => c.status !== 'passed').length;
  out.push(`# tests ${cases.length}`, `# pass ${cases.length - failed}`, `# fail ${failed}`);
  return `${out.join('\n')}\n`;
}

/**
 * The report in the chosen format (`json`: the results as they are, pretty-printed).
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport([result], 'tap'));
 * ```
 */
export function formatReport(results: readonly TestSuiteResult[], reporter: TestReporter): string {
  if (reporter === 'junit') return junitReport(results);
  if (reporter === 'tap') return tapReport(results);
  return `${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`;
}
