import type { ScanFinding, ScanSeverity } from './scan-workflow.js';

const LEVEL: Record<ScanSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/**
 * Findings as a SARIF 2.1.0 log (one run, tool `weft-scan`), for code-scanning dashboards. Each
 * result's location is the workflow file with the finding's JSON pointer as a logical location.
 *
 * @example
 * ```ts
 * writeFileSync('scan.sarif', JSON.stringify(sarifReport(scanWorkflow(wf), 'workflows/invoices.json')));
 * ```
 */
export function sarifReport(findings: readonly ScanFinding[], artifactUri = 'workflow.json'): Record<string, unknown> {
  const rules = [...new Map(findings.map((f) => [f.ruleId, f])).values()].map((f) => ({
    id: f.ruleId,
    shortDescription: { text: f.message },
    help: { text: f.fix },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { severity: f.severity },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'weft-scan', informationUri: 'https://github.com/weft-dev/weft', rules } },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          level: LEVEL[f.severity],
          message: { text: `${f.message}. ${f.fix}.` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: artifactUri } },
              logicalLocations: [{ fullyQualifiedName: f.pointer, kind: 'member' }],
            },
          ],
          properties: { severity: f.severity, pointer: f.pointer, ...(f.nodeId ? { nodeId: f.nodeId } : {}) },
        })),
      },
    ],
  };
}
