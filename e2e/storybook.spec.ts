import { expect, test } from '@playwright/test';

/**
 * Runs the interaction test (play function) of every story in the static Storybook build and
 * fails with the story's own error when one throws. One test per component keeps the report
 * readable; the story list comes from the build's index.json.
 */
const storybook = `http://127.0.0.1:${process.env.WEFT_STORYBOOK_PORT ?? 6007}`;
const components = [
  'weft-canvas',
  'weft-node-palette',
  'weft-inspector',
  'weft-options-select',
  'weft-execution-view',
  'weft-code-editor',
];

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: string;
}

for (const component of components) {
  test(`stories of ${component} render and pass their interaction tests`, async ({ page, request }) => {
    test.setTimeout(120_000);
    const index = (await (await request.get(`${storybook}/index.json`)).json()) as {
      entries: Record<string, IndexEntry>;
    };
    const stories = Object.values(index.entries).filter((e) => e.type === 'story' && e.title === `Canvas/${component}`);
    expect(stories.length).toBeGreaterThan(2);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const story of stories) {
      await test.step(story.name, async () => {
        await page.goto(`${storybook}/iframe.html?id=${story.id}&viewMode=story`);
        const html = page.locator('html');
        await expect(html).toHaveAttribute('data-story-status', /passed|failed/, { timeout: 20_000 });
        const detail = await html.getAttribute('data-story-detail');
        expect(await html.getAttribute('data-story-status'), `${story.id}: ${detail}`).toBe('passed');
        expect(errors, story.id).toEqual([]);
      });
    }
  });
}
