import { createHash, createHmac, getHashes, randomBytes, randomUUID } from 'node:crypto';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

const ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-512'] as const;
const algorithm = Property.StaticDropdown({
  label: 'Algorithm',
  options: ALGORITHMS.map((a) => ({ value: a, label: a.toUpperCase() })),
  default: 'sha256',
});
const encoding = Property.StaticDropdown({
  label: 'Encoding',
  options: [
    { value: 'hex', label: 'Hex' },
    { value: 'base64', label: 'Base64' },
    { value: 'base64url', label: 'Base64 URL' },
  ],
  default: 'hex',
});
const outputField = (d: string) => Property.ShortText({ label: 'Output field', default: d });

function checkAlgorithm(a: string) {
  if (!getHashes().includes(a)) throw new Error(`Hash algorithm "${a}" is not available in this Node.js build`);
}

const hash = defineAction({
  name: 'hash',
  displayName: 'Hash',
  description: 'Hashes a text value (MD5, SHA-1, SHA-2, SHA-3)',
  sideEffects: 'none',
  props: {
    value: Property.LongText({ label: 'Value', required: true }),
    algorithm,
    encoding,
    outputField: outputField('hash'),
  },
  sample: { hash: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' },
  run: ({ props, item }) => {
    checkAlgorithm(props.algorithm);
    const digest = createHash(props.algorithm).update(props.value).digest(props.encoding);
    return { ...item?.json, [props.outputField]: digest };
  },
});

const hmac = defineAction({
  name: 'hmac',
  displayName: 'HMAC',
  description: 'Computes an HMAC of a text value with a secret key',
  sideEffects: 'none',
  props: {
    value: Property.LongText({ label: 'Value', required: true }),
    secret: Property.SecretText({ label: 'Secret key', required: true }),
    algorithm,
    encoding,
    outputField: outputField('hmac'),
  },
  run: ({ props, item }) => {
    checkAlgorithm(props.algorithm);
    const digest = createHmac(props.algorithm, props.secret).update(props.value).digest(props.encoding);
    return { ...item?.json, [props.outputField]: digest };
  },
});

const generate = defineAction({
  name: 'generate',
  displayName: 'Generate random',
  description: 'Generates a UUID or cryptographically random bytes',
  sideEffects: 'none',
  props: {
    kind: Property.StaticDropdown({
      label: 'Kind',
      options: [
        { value: 'uuid', label: 'UUID v4' },
        { value: 'bytes', label: 'Random bytes' },
      ],
      default: 'uuid',
    }),
    length: Property.Number({ label: 'Bytes', default: 32, integer: true, min: 1, max: 1024 }),
    encoding,
    outputField: outputField('random'),
  },
  run: ({ props, item }) => {
    if (!Number.isInteger(props.length) || props.length < 1 || props.length > 1024) {
      throw new Error(`Bytes must be an integer from 1 to 1024, got ${props.length}`);
    }
    const value = props.kind === 'uuid' ? randomUUID() : randomBytes(props.length).toString(props.encoding);
    return { ...item?.json, [props.outputField]: value };
  },
});

/**
 * Crypto utility nodes: `crypto.hash`, `crypto.hmac`, `crypto.generate`. Each adds its result to
 * the input item under the output field.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(cryptoConnector));
 * ```
 */
export const cryptoConnector = defineConnector({
  name: 'crypto',
  displayName: 'Crypto',
  description: 'Hashes, HMACs and random values.',
  version: '1.0.0',
  icon: svgIcon(
    '#475569',
    '<rect x="6" y="11" width="12" height="9" rx="1.5"/><path d="M9 11V8a3 3 0 0 1 6 0v3M12 15v2"/>',
  ),
  group: 'utility',
  actions: [hash, hmac, generate],
});
