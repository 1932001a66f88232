import { expect, type Locator, type Page, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// Workflow tests in the editor against a real `weft start` (issue 22): a run is saved as a test
// case from the Tests panel, the suite passes, the workflow is broken in the editor and saved, and
// the case then fails with its diff shown.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
let workflowId: string;

const set = (id: string, name: string, field: string, value: string, x: number) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: field, value }] },
  position: [x, 0],
});

/** Start -> Seed (n = 7) -> Double (twice = n * 2) -> Big? (twice >= 10) -true-> Tag (tier = big). */
const flow = {
  name: 'Tested flow',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    set('seed', 'Seed', 'n', '{{ 7 }}', 240),
    set('double', 'Double', 'twice', '{{ $json.n * 2 }}', 480),
    {
      id: 'big',
      name: 'Big?',
      type: 'weft.if',
      parameters: { conditions: [{ left: '{{ $json.twice }}', operator: 'gte', right: '10' }] },
      position: [720, 0],
    },
    set('tag', 'Tag', 'tier', 'big', 960),
  ],
  connections: [
    { source: 'start', target: 'seed' },
    { source: 'seed', target: 'double' },
    { source: 'double', target: 'big' },
    { source: 'big', sourcePort: 'true', target: 'tag' },
  ],
};

test.beforeAll(async () => {
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  const { client, workspaceId: ws } = await ownerClient(host);
  workflowId = (await client.workflows.create(ws, flow as never)).id;
});

test.afterAll(async () => {
  await host?.stop();
});

function canvasNode(page: Page, name: string): Locator {
  return page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
}

test('saves a run as a test case, passes it, then fails it once the workflow is broken', async ({ page }) => {
  test.slow(); // two runs, two suite runs and a save against a real host
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/workflows/${workflowId}`);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(5);

  const panel = page.locator('weft-tests-panel');
  await expect(panel).toContainText('No test cases yet.');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');

  await panel.getByLabel('Test case name').fill('seven doubled is big');
  await panel.getByRole('button', { name: 'Save run as test case' }).click();
  const testCase = panel.locator('.test-case', { hasText: 'seven doubled is big' });
  await expect(testCase).toHaveAttribute('data-status', 'not-run');

  await panel.getByRole('button', { name: 'Run tests' }).click();
  await expect(testCase).toHaveAttribute('data-status', 'passed');
  await expect(panel.locator('h3')).toContainText('1/1 passed (v1)');

  // Break it: Double no longer doubles, so 7 is not big and Tag never runs.
  await canvasNode(page, 'Double').click();
  await page.locator('weft-inspector [data-param="value"] weft-expression-input textarea').fill('{{ $json.n * 1 }}');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.editor-bar .meta')).toHaveText('v2');

  await panel.getByRole('button', { name: 'Run tests' }).click();
  await expect(testCase).toHaveAttribute('data-status', 'failed');
  await expect(panel.locator('h3')).toContainText('0/1 passed (v2)');
  await expect(testCase.locator('.test-diff').first()).toContainText('$[4]: missing, expected "Tag"');
  await expect(testCase).toContainText('node "Tag" did not run');
});
