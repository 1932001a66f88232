import type { Workflow } from '@weft/engine';
import { SECRET_RULES, shannonEntropy } from './secret-rules.js';

export type ScanSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * One problem found in a workflow: `pointer` is an RFC 6901 JSON pointer into the workflow
 * document (`/nodes/2/parameters/url`); `fix` says what to do instead. Never holds the secret.
 */
export interface ScanFinding {
  ruleId: string;
  severity: ScanSeverity;
  pointer: string;
  nodeId?: string;
  message: string;
  fix: string;
}

const pointerToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isExpression = (s: string) => s.includes('{{');
const CODE_NODE = /(^|\.)(code|function|javascript)$/i;
const WEBHOOK_NODE = /(^|\.)webhook$/i;
const LOCAL_HOST = /^http:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i;
const RISKY_CODE: Array<[string, RegExp, string]> = [
  [
    'code-eval',
    /\beval\s*\(|\bnew\s+Function\s*\(/,
    'Parse data with JSON.parse or explicit logic instead of evaluating strings',
  ],
  [
    'code-process-access',
    /\bprocess\s*\.\s*(env|exit|binding)|\bchild_process\b/,
    'Pass values in through credentials or parameters',
  ],
  [
    'code-dynamic-import',
    /\brequire\s*\(|\bimport\s*\(/,
    'Use the HTTP node or a connector instead of loading modules',
  ],
];
const ENTROPY_TOKEN = /[A-Za-z0-9+/_=-]{24,}/g;

function* strings(value: unknown, pointer: string): Generator<[string, string, string]> {
  if (typeof value === 'string') yield [pointer, pointer.slice(pointer.lastIndexOf('/') + 1), value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${pointer}/${i}`);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* strings(v, `${pointer}/${pointerToken(k)}`);
}

function secretFindings(pointer: string, nodeId: string, text: string): ScanFinding[] {
  const literal = text.replace(/\{\{[\s\S]*?\}\}/g, ' ');
  const rule = SECRET_RULES.find((r) => r.regex.test(literal));
  if (rule)
    return [
      {
        ruleId: `secret/${rule.id}`,
        severity: 'critical',
        pointer,
        nodeId,
        message: `Hard-coded secret: ${rule.description}`,
        fix: 'Store it as a credential and reference the credential from the node',
      },
    ];
  const token = (literal.match(ENTROPY_TOKEN) ?? []).find(
    (t) => shannonEntropy(t) >= 4.5 && /[0-9]/.test(t) && /[A-Za-z]/.test(t) && !/^https?/.test(t),
  );
  return token
    ? [
        {
          ruleId: 'secret/high-entropy-string',
          severity: 'high',
          pointer,
          nodeId,
          message: `A ${token.length}-character random-looking string may be a secret`,
          fix: 'If it is a key or token, store it as a credential',
        },
      ]
    : [];
}

function urlFindings(pointer: string, key: string, nodeId: string, text: string): ScanFinding[] {
  const out: ScanFinding[] = [];
  if (/^http:\/\//i.test(text) && !LOCAL_HOST.test(text))
    out.push({
      ruleId: 'network/plain-http',
      severity: 'medium',
      pointer,
      nodeId,
      message: 'Data is sent over plain http://',
      fix: 'Use https://',
    });
  if (/url|host|endpoint|baseurl/i.test(key) && isExpression(text)) {
    const host = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
    if (text.trimStart().startsWith('{{') || isExpression(host))
      out.push({
        ruleId: 'network/expression-host',
        severity: 'high',
        pointer,
        nodeId,
        message: 'The request host is built from an expression: input could point it at internal services (SSRF)',
        fix: 'Fix the host in the URL and put only path or query values in expressions, or allow-list the hosts',
      });
  }
  return out;
}

/**
 * Scans a workflow document for security problems: hard-coded secrets (gitleaks-style rules,
 * then entropy), webhooks without authentication, plain `http://` and hosts built from
 * expressions (SSRF-prone), risky code-node patterns, and no error handling at all. Pure: it
 * reads only the document.
 *
 * @example
 * ```ts
 * const findings = scanWorkflow(workflow);
 * findings.filter((f) => f.severity === 'critical');
 * ```
 */
export function scanWorkflow(workflow: Workflow): ScanFinding[] {
  const findings: ScanFinding[] = [];
  for (const [i, node] of workflow.nodes.entries()) {
    const base = `/nodes/${i}`;
    for (const [pointer, key, text] of strings(node.parameters, `${base}/parameters`)) {
      findings.push(...secretFindings(pointer, node.id, text), ...urlFindings(pointer, key, node.id, text));
      if (CODE_NODE.test(node.type))
        for (const [id, regex, fix] of RISKY_CODE)
          if (regex.test(text))
            findings.push({
              ruleId: `code/${id.slice(5)}`,
              severity: 'high',
              pointer,
              nodeId: node.id,
              message: `Code node uses a risky construct (${regex.exec(text)?.[0]})`,
              fix,
            });
    }
    if (WEBHOOK_NODE.test(node.type) && !node.disabled && Object.keys(node.credentials ?? {}).length === 0)
      findings.push({
        ruleId: 'trigger/webhook-without-auth',
        severity: 'high',
        pointer: base,
        nodeId: node.id,
        message: `Webhook "${node.name}" accepts requests from anyone`,
        fix: 'Attach a header-secret, HMAC or basic-auth credential to the webhook',
      });
  }
  const handled = workflow.settings?.errorWorkflow || workflow.nodes.some((n) => n.onError && n.onError !== 'stop');
  if (!handled && workflow.nodes.length > 0)
    findings.push({
      ruleId: 'reliability/no-error-handling',
      severity: 'low',
      pointer: '/settings',
      message: 'No error workflow and no node handles its errors: failures go unnoticed',
      fix: 'Set settings.errorWorkflow, or give critical nodes onError "route" or "continue"',
    });
  return findings;
}
