// Runs every README code block marked `<!-- runnable -->` (the line before a ```ts or ```js fence),
// so the examples the packages show keep working.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const readmes = [
  'README.md',
  ...['packages', 'adapters'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p, 'README.md'))),
  'host/README.md',
].filter((p) => existsSync(join(root, p)));

const blocks = readmes.flatMap((readme) => {
  const text = readFileSync(join(root, readme), 'utf8');
  const found: { readme: string; index: number; code: string; ext: string }[] = [];
  const re = /<!--\s*runnable\s*-->\s*\n```(ts|js)\n([\s\S]*?)\n```/g;
  for (const m of text.matchAll(re))
    found.push({ readme, index: found.length, code: m[2] as string, ext: m[1] as string });
  return found;
});

const dir = join(root, 'node_modules/.cache/weft-readme-examples');
mkdirSync(dir, { recursive: true });

describe.each(blocks.length ? blocks : [undefined])('README example %#', (block) => {
  it.skipIf(!block)(block ? `${block.readme} #${block.index + 1}` : 'no runnable examples', async () => {
    if (!block) return;
    const file = join(dir, `${block.readme.replace(/[/.]/g, '_')}_${block.index}.${block.ext}`);
    writeFileSync(file, block.code);
    await expect(import(file)).resolves.toBeDefined();
  });
});
