import type {
  EngineEvent,
  ExecutionError,
  ExecutionRecord,
  ExecutionResult,
  Item,
  NodeRunRecord,
  WaitState,
  Workflow,
} from '@weft/engine';

/** Roles from most to least powerful. */
export type Role = 'owner' | 'admin' | 'editor' | 'operator' | 'viewer';

/** Branding the host is configured with (`WEFT_BRAND_*`). */
export interface Branding {
  name: string;
  logoUrl?: string;
  primaryColor?: string;
  accentColor?: string;
  fontFamily?: string;
  [extra: string]: unknown;
}

/** `GET /auth/setup`. */
export interface SetupInfo {
  needsOwner: boolean;
  oidc: boolean;
  branding: Branding;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  mfaEnabled: boolean;
}

/** Tokens issued by sign-up, login and refresh. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  user: SessionUser;
}

export interface Workspace {
  id: string;
  name: string;
  role?: Role;
  createdAt?: number;
  /** Data residency region (hosts with `WEFT_REGIONS`); fixed at creation. */
  region?: string;
  [extra: string]: unknown;
}

/** The data residency regions of a host (`GET /regions`); none: one database. */
export interface Regions {
  items: Array<{ name: string }>;
  /** Where workspaces created without a region go; null without regions. */
  default: string | null;
}

export interface Me {
  user: SessionUser & { createdAt?: number };
  workspaces: Workspace[];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  version: number;
  active: boolean;
  updatedAt: number;
  tags?: string[];
  description?: string;
}

/** A stored workflow version. */
export interface StoredWorkflow {
  id: string;
  workspaceId?: string;
  version: number;
  active: boolean;
  createdAt: number;
  workflow: Workflow;
}

export interface WorkflowVersionInfo {
  version: number;
  createdAt: number;
  [extra: string]: unknown;
}

/** Answer of `run` (202 without `wait`) and `retry`. */
export interface Launched {
  executionId: string;
  /** True when an idempotency key matched an earlier execution (nothing new ran). */
  duplicate: boolean;
  /** With `wait` (or an idempotency key): the finished execution's status, output and error. */
  result?: ExecutionResult;
}

/** An execution with its node runs. */
export type ExecutionDetail = ExecutionRecord & { nodeRuns: NodeRunRecord[] };

/** Answer of a test run or a replay: the result plus the node runs. */
export interface RunResult {
  executionId: string;
  status: ExecutionRecord['status'];
  nodeRuns: NodeRunRecord[];
  reused?: string[];
  [extra: string]: unknown;
}

/** Filters of `executions.list`; all given ones must hold. */
export interface ExecutionQuery {
  workflowId?: string;
  status?: ExecutionRecord['status'] | ExecutionRecord['status'][];
  mode?: ExecutionRecord['mode'] | ExecutionRecord['mode'][];
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  until?: number;
  /** Finished executions that ran at least / at most this long (ms). */
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Execution id prefix or error text. */
  q?: string;
  /** Text in the trigger input or any node run (input, output, error), case-insensitive. */
  contains?: string;
  /** Dot path inside an item's `json` (e.g. `customer.email`), with `value`. */
  field?: string;
  /** Value of `field`: JSON (`42`, `true`, `"42"`), else plain text. */
  value?: string;
  limit?: number;
  cursor?: string;
  /** With `contains`/`field`: executions examined per request (default 1000). */
  scanLimit?: number;
}

export interface CredentialInfo {
  id: string;
  type: string;
  name: string;
  createdAt?: number;
  updatedAt?: number;
  /** `broken` when an OAuth2 refresh failed: reconnect it. */
  status?: 'active' | 'broken';
  statusReason?: string | null;
  /** Names of the fields that hold a value (never the values). */
  fields?: string[];
  /** OAuth2 credentials: connected or not, access token expiry, who connected. */
  oauth2?: OAuth2Status;
  [extra: string]: unknown;
}

/** An OAuth2 credential's connection, without any token. */
export interface OAuth2Status {
  connected: boolean;
  expiresAt?: number;
  account?: string;
  scope?: string;
}

/**
 * `connectCredential`'s answer: open `connectUrl` in a popup (it binds the authorization to that
 * browser first-party, then goes to `authorizationUrl`); the provider returns to `redirectUri`.
 */
export interface OAuth2ConnectStart {
  authorizationUrl: string;
  /** Single-use link on the host, valid for 2 minutes: what the popup should open. */
  connectUrl: string;
  redirectUri: string;
  /** Until when the authorization may be completed (epoch ms). */
  expiresAt: number;
}

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  [extra: string]: unknown;
}

export interface Invite {
  token: string;
  url: string;
  role: Role;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: string[];
  expiresAt: number | null;
  lastUsedAt?: number | null;
  createdAt?: number;
  [extra: string]: unknown;
}

/** A newly created key: `key` is the secret, shown only once. */
export type CreatedApiKey = ApiKeyInfo & { key: string };

/** One event of the realtime stream with its resumable id. */
export interface StreamEvent {
  /** The SSE id; pass it as `lastEventId` to resume after it. */
  id: string;
  event: EngineEvent;
}

/** Where a debug session stands: `paused` before `next[0]`, otherwise its execution's status. */
export type DebugSessionStatus = 'paused' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** A step-through debug session (`/debug-sessions`): one execution, mode `debug`, run a node at a time. */
export interface DebugSession {
  id: string;
  executionId: string;
  /** The stored workflow's id, or the draft's id (`draft` when it has none). */
  workflowId: string;
  /** 0 for a draft document. */
  workflowVersion: number;
  status: DebugSessionStatus;
  /** Nodes ready to run, in the order they will run; `step` runs the first. Empty once it ended. */
  next: { nodeId: string; nodeName: string }[];
  /** Node names or ids `continue` pauses before. */
  breakpoints: string[];
  /** Names of the nodes whose output is pinned. */
  pinned: string[];
  /** With `status: 'waiting'`: the approval or timer it is parked on. */
  wait?: WaitState;
  /** The workflow's output once it succeeded. */
  output?: Item[];
  error?: ExecutionError;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** A debug session with every node run so far (answer of `start` and `get`). */
export type DebugSessionDetail = DebugSession & { nodeRuns: NodeRunRecord[] };

/** Answer of `step` and `continue`: the session and the node runs of that call (input and output). */
export type DebugAdvance = DebugSession & { ran: NodeRunRecord[] };

/** What a debug session runs: a stored workflow (latest or one version) or an unsaved document. */
export type DebugSessionSource = { workflowId: string; version?: number } | { workflow: Workflow };

/** Options of `debugSessions.start`. */
export interface DebugSessionOptions {
  /** Trigger input items. */
  input?: Item[];
  /** Start at this node (id) instead of the trigger. */
  startNodeId?: string;
  /** Main output items to use instead of running a node, by node name. */
  pinData?: Record<string, Item[]>;
  /** Node names or ids to pause before on `continue`. */
  breakpoints?: string[];
}

/** What became of one source node in an n8n or Node-RED import. */
export interface ImportedNodeReport {
  /** The node's name in the source workflow. */
  source: string;
  /** The source node type, e.g. `n8n-nodes-base.if` or `switch`. */
  sourceType: string;
  sourceVersion?: number;
  /** The Weft nodes it became. */
  nodes: string[];
  status: 'exact' | 'differences' | 'unsupported';
  /** Each way the Weft workflow behaves differently, in words. */
  differences: string[];
}

/** The report of one imported workflow. */
export interface ImportedWorkflowReport {
  name: string;
  nodes: ImportedNodeReport[];
  /** Expressions that could not be translated, with JSON pointers into the Weft workflow. */
  expressions: { node: string; pointer: string; expression: string; reason: string }[];
  /** Credentials to create by hand (exports hold no secrets); the nodes already reference `id`. */
  credentials: { id: string; type: string; sourceName: string; usedBy: string[] }[];
  notes: string[];
}

/** The import report of an n8n or Node-RED import, per workflow, with totals. */
export interface ImportReport {
  format: 'n8n' | 'node-red';
  workflows: ImportedWorkflowReport[];
  summary: {
    workflows: number;
    nodes: number;
    exact: number;
    differences: number;
    unsupported: number;
    untranslatedExpressions: number;
    credentials: number;
  };
}

/** Answer of `workflows.import`: the stored workflows, or with `dryRun` the checked documents. */
export interface ImportAnswer {
  format: 'weft' | 'n8n' | 'node-red';
  /** Present for n8n and Node-RED imports. */
  report?: ImportReport;
  items: WorkflowSummary[];
  /** Only on a dry run: the workflows as they would be stored. */
  workflows?: Workflow[];
}

export type { EngineEvent, ExecutionError, ExecutionRecord, Item, NodeRunRecord, WaitState, Workflow };
