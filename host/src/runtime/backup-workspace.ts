import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { open, seal } from '@weft/connectors';
import type { JsonObject } from '@weft/engine';
import { atLeast, ROLES, type Role } from '../auth/roles.js';
import { allWorkflows, exportDocument, saveWorkflow } from '../workflows/workflow-service.js';
import { HostError, InvalidInputError, NotFoundError } from './host-error.js';
import type { HostRuntime } from './host-runtime.js';

/** scrypt cost of the passphrase key: 2^15 x 8 x 1 (about 32 MiB and 0.1 s), as OWASP advises. */
const SCRYPT: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
/** Shortest passphrase a bundle is sealed with. */
export const MIN_PASSPHRASE = 12;

/** A sealed value: AES-256-GCM, base64 parts. */
interface SealedParts {
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * A whole workspace as one JSON document (`weftWorkspace: 1`): its workflows, its members by
 * email and role, and its credentials, still encrypted: each credential's data is sealed with a
 * random bundle key, which is wrapped with a key derived from the user's passphrase (scrypt).
 * Without the passphrase the bundle reveals names and types, never secret values.
 */
export interface WorkspaceBundle {
  weftWorkspace: 1;
  exportedAt: string;
  workspace: { id: string; name: string };
  workflows: Record<string, unknown>[];
  members: { email: string; name: string | null; role: Role }[];
  credentials: {
    kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
    /** The bundle key, sealed with the passphrase key. */
    key: SealedParts;
    items: { id: string; name: string; type: string; data: SealedParts }[];
  };
}

/** What {@link importWorkspaceBundle} did. */
export interface WorkspaceImportReport {
  workflows: { id: string; name: string; error?: string }[];
  credentials: { from: string; id: string; name: string }[];
  members: {
    added: { email: string; role: Role }[];
    invited: { email: string; role: Role; url: string }[];
    skipped: { email: string; role: Role; reason: string }[];
  };
}

function passphraseKey(passphrase: string, salt: Buffer, kdf: ScryptCost = SCRYPT): Buffer {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new InvalidInputError(
      'passphrase-too-short',
      `The passphrase must have at least ${MIN_PASSPHRASE} characters`,
      { errors: [{ in: 'body', path: '/passphrase', message: `at least ${MIN_PASSPHRASE} characters` }] },
    );
  }
  return scryptSync(passphrase.normalize('NFC'), salt, 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r,
  });
}

/**
 * Exports a workspace with its credentials (re-sealed under `passphrase`) and members.
 *
 * @example
 * ```ts
 * const bundle = await exportWorkspaceBundle(rt, 'ws_1', 'correct horse battery staple');
 * ```
 */
export async function exportWorkspaceBundle(
  rt: HostRuntime,
  workspaceId: string,
  passphrase: string,
): Promise<WorkspaceBundle> {
  const salt = randomBytes(16);
  const wrapKey = passphraseKey(passphrase, salt);
  const bundleKey = randomBytes(32);
  const workspace = await rt.identity.workspace(workspaceId);
  if (!workspace) throw new NotFoundError('workspace-not-found', `Workspace "${workspaceId}" not found`);
  const items: WorkspaceBundle['credentials']['items'] = [];
  for (const c of await rt.vault.list(workspaceId)) {
    const { data } = await rt.vault.resolve({ workspaceId, credentialId: c.id, nodeType: 'oauth2.export' });
    items.push({
      id: c.id,
      name: c.name,
      type: c.type,
      data: seal(bundleKey, Buffer.from(JSON.stringify(data)), `${c.id}|${c.type}`),
    });
  }
  return {
    weftWorkspace: 1,
    exportedAt: new Date().toISOString(),
    workspace: { id: workspace.id, name: workspace.name },
    workflows: (await allWorkflows(rt, workspaceId)).map((s) => exportDocument(s) as Record<string, unknown>),
    members: (await rt.identity.members(workspaceId)).map((m) => ({ email: m.email, name: m.name, role: m.role })),
    credentials: {
      kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
      key: seal(wrapKey, bundleKey, 'weft workspace bundle'),
      items,
    },
  };
}

function invalid(message: string, path: string): HostError {
  return new InvalidInputError('invalid-bundle', message, { errors: [{ in: 'bundle', path: `/${path}`, message }] });
}

/** Checks the shape of a parsed bundle, naming the first field that is wrong. */
export function checkWorkspaceBundle(doc: unknown): WorkspaceBundle {
  const b = doc as Partial<WorkspaceBundle> | null;
  if (!b || typeof b !== 'object' || b.weftWorkspace !== 1)
    throw invalid('Not a Weft workspace bundle (weftWorkspace: 1 missing)', 'weftWorkspace');
  if (!Array.isArray(b.workflows)) throw invalid('workflows must be an array', 'workflows');
  if (!Array.isArray(b.members)) throw invalid('members must be an array', 'members');
  for (const [i, m] of b.members.entries()) {
    if (typeof m?.email !== 'string' || !ROLES.includes(m.role))
      throw invalid(`members[${i}] needs an email and a role (${ROLES.join(', ')})`, `members/${i}`);
  }
  const c = b.credentials;
  if (
    c?.kdf?.name !== 'scrypt' ||
    typeof c.kdf.salt !== 'string' ||
    typeof c.key?.ciphertext !== 'string' ||
    !Array.isArray(c.items)
  )
    throw invalid('credentials must hold kdf (scrypt), key and items', 'credentials');
  if (![c.kdf.N, c.kdf.r, c.kdf.p].every((n) => Number.isInteger(n) && n > 0) || c.kdf.N > 2 ** 20 || c.kdf.r > 32)
    throw invalid('credentials.kdf has unusable scrypt parameters', 'credentials/kdf');
  return b as WorkspaceBundle;
}

const openText = (key: Uint8Array, sealed: SealedParts, aad: string) => open(key, sealed, aad);

/** Points a workflow's node credential slots at the credentials' new ids. */
function relink(doc: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
  const nodes = Array.isArray(doc.nodes) ? (doc.nodes as Record<string, unknown>[]) : [];
  return {
    ...doc,
    nodes: nodes.map((n) => {
      const slots = n.credentials as Record<string, string> | undefined;
      if (!slots || typeof slots !== 'object') return n;
      return { ...n, credentials: Object.fromEntries(Object.entries(slots).map(([k, v]) => [k, ids.get(v) ?? v])) };
    }),
  };
}

/**
 * Imports a bundle into `workspaceId` (of this or another host): credentials are opened with the
 * passphrase and stored under this host's keys with new ids (workflows are relinked to them),
 * workflows are saved inactive (activate them once their webhooks and schedules should run
 * here), members are matched by email (existing users get their role) or invited with a sign-up
 * link; a member whose role is above `importerRole` is skipped. A wrong passphrase is refused
 * before anything is written.
 *
 * @example
 * ```ts
 * const report = await importWorkspaceBundle(rt, 'ws_new', bundle, passphrase, 'owner');
 * ```
 */
export async function importWorkspaceBundle(
  rt: HostRuntime,
  workspaceId: string,
  bundle: WorkspaceBundle,
  passphrase: string,
  importerRole: Role,
): Promise<WorkspaceImportReport> {
  const { kdf, key, items } = bundle.credentials;
  const wrapKey = passphraseKey(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  let bundleKey: Buffer;
  try {
    bundleKey = openText(wrapKey, key, 'weft workspace bundle');
  } catch {
    throw new InvalidInputError('wrong-passphrase', 'The passphrase does not open this bundle', {
      errors: [{ in: 'body', path: '/passphrase', message: 'does not open the bundle' }],
    });
  }
  const opened = items.map((c, i) => {
    try {
      return { ...c, value: JSON.parse(openText(bundleKey, c.data, `${c.id}|${c.type}`).toString('utf8')) };
    } catch {
      throw invalid(`credentials.items[${i}] (${c.name}) was altered and cannot be opened`, `credentials/items/${i}`);
    }
  });
  const report: WorkspaceImportReport = {
    workflows: [],
    credentials: [],
    members: { added: [], invited: [], skipped: [] },
  };
  const ids = new Map<string, string>();
  for (const c of opened) {
    const id = randomUUID();
    await rt.vault.create({ workspaceId, id, type: c.type, name: c.name, data: c.value as JsonObject });
    ids.set(c.id, id);
    report.credentials.push({ from: c.id, id, name: c.name });
  }
  for (const doc of bundle.workflows) {
    const { active: _active, version: _version, ...wf } = doc;
    const name = String(wf.name ?? wf.id ?? 'workflow');
    try {
      const stored = await saveWorkflow(rt, workspaceId, relink(wf, ids), { mode: 'upsert' });
      report.workflows.push({ id: stored.id, name });
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      const where = err.details.errors?.map((p) => `${p.path}: ${p.message}`).join('; ');
      report.workflows.push({ id: String(wf.id ?? ''), name, error: `${err.message}${where ? ` (${where})` : ''}` });
    }
  }
  for (const m of bundle.members) {
    if (!atLeast(importerRole, m.role)) {
      report.members.skipped.push({ email: m.email, role: m.role, reason: `a ${importerRole} cannot grant ${m.role}` });
      continue;
    }
    const user = await rt.identity.userByEmail(m.email);
    if (user) {
      if (!(await rt.identity.roleOf(workspaceId, user.id))) await rt.identity.setMember(workspaceId, user.id, m.role);
      report.members.added.push({ email: m.email, role: m.role });
      continue;
    }
    const token = await rt.sessions.createSignupToken({ workspaceId, role: m.role, ttlSec: 7 * 86400, email: m.email });
    report.members.invited.push({ email: m.email, role: m.role, url: `${rt.config.publicUrl}/signup?token=${token}` });
  }
  return report;
}
