/** One pattern for a kind of hard-coded secret, in the style of gitleaks' rule set. */
export interface SecretRule {
  id: string;
  description: string;
  regex: RegExp;
}

/**
 * Patterns for well-known credential formats (after gitleaks' default rules). Each matches the
 * secret itself, so a finding can say which kind was found without repeating it.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex: /aws.{0,20}?(?:secret|key).{0,20}?['"=:\s][A-Za-z0-9/+=]{40}\b/i,
  },
  { id: 'github-token', description: 'GitHub token', regex: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b/ },
  { id: 'github-fine-grained-pat', description: 'GitHub fine-grained token', regex: /\bgithub_pat_[A-Za-z0-9_]{82}\b/ },
  { id: 'gitlab-pat', description: 'GitLab personal access token', regex: /\bglpat-[A-Za-z0-9_-]{20}\b/ },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[baprs]-[A-Za-z0-9-]{10,48}\b/ },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    regex: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9+/]{40,}/,
  },
  {
    id: 'stripe-secret-key',
    description: 'Stripe secret key',
    regex: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,99}\b/,
  },
  { id: 'google-api-key', description: 'Google API key', regex: /\bAIza[A-Za-z0-9_-]{35}\b/ },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    regex: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b/,
  },
  { id: 'sendgrid-api-key', description: 'SendGrid API key', regex: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { id: 'twilio-api-key', description: 'Twilio API key', regex: /\bSK[0-9a-fA-F]{32}\b/ },
  { id: 'private-key', description: 'Private key', regex: /-----BEGIN[A-Z ]{0,20} PRIVATE KEY( BLOCK)?-----/ },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/,
  },
  {
    id: 'basic-auth-url',
    description: 'Password in a URL',
    regex: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@{}]+:[^/\s:@{}]{3,}@[^\s/]+/i,
  },
  {
    id: 'generic-api-key',
    description: 'Secret assigned to a key-like name',
    regex: /(?:api[_-]?key|secret|token|passw(?:or)?d|auth)["']?\s*[:=]\s*["']?[A-Za-z0-9_\-+/=.]{16,}/i,
  },
];

/**
 * Shannon entropy in bits per character: random keys score high (base64 around 6, hex around 4),
 * words and sentences low.
 *
 * @example
 * ```ts
 * shannonEntropy('aaaa'); // 0
 * ```
 */
export function shannonEntropy(text: string): number {
  if (!text) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
