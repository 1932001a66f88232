import { describe, expect, it } from 'vitest';
import { routeAuditAction } from './route-audit-action.js';

describe('routeAuditAction', () => {
  it.each([
    ['post', '/workspaces', 'workspace.create', 'workspace', undefined],
    ['patch', '/workspaces/:workspaceId', 'workspace.update', 'workspace', 'workspaceId'],
    ['post', '/workspaces/:workspaceId/workflows', 'workflow.create', 'workflow', undefined],
    ['put', '/workspaces/:workspaceId/workflows/:workflowId', 'workflow.update', 'workflow', 'workflowId'],
    ['post', '/workspaces/:workspaceId/workflows/:workflowId/activate', 'workflow.activate', 'workflow', 'workflowId'],
    ['post', '/workspaces/:workspaceId/workflows/import', 'workflow.import', 'workflow', undefined],
    ['get', '/workspaces/:workspaceId/export', 'workspace.export', 'workspace', 'workspaceId'],
    [
      'post',
      '/workspaces/:workspaceId/credentials/:credentialId/test',
      'credential.test',
      'credential',
      'credentialId',
    ],
    [
      'post',
      '/workspaces/:workspaceId/dead-letters/:deadLetterId/replay',
      'dead-letter.replay',
      'dead-letter',
      'deadLetterId',
    ],
    ['put', '/workspaces/:workspaceId/members/:userId', 'member.update', 'member', 'userId'],
    ['post', '/workspaces/:workspaceId/ai/generate', 'ai.generate', 'ai', undefined],
    ['post', '/workspaces/:workspaceId/scan', 'workspace.scan', 'workspace', 'workspaceId'],
    ['get', '/workspaces/:workspaceId/audit-log/verify', 'audit-log.verify', 'audit-log', undefined],
    ['post', '/auth/mfa/disable', 'auth.mfa.disable', 'auth', undefined],
  ])('%s %s is %s', (method, path, action, resourceType, idParam) => {
    expect(routeAuditAction(method, path)).toEqual({ action, resourceType, idParam });
  });
});
