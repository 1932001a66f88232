import { MemoryTriggerStateStore, NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { pollTrigger } from '../../triggers/trigger-runners.js';
import { feedConnector, parseFeed } from './feed-connector.js';

const rssItems = [
  '<item><title>Second &amp; more</title><link>https://blog.example/2</link><guid>post-2</guid><pubDate>Tue, 06 Jan 2026 10:00:00 GMT</pubDate><description>Two</description></item>',
  '<item><title>First</title><link>https://blog.example/1</link><guid isPermaLink="false">post-1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate><dc:creator>Ada</dc:creator></item>',
];
const rss = () =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>${rssItems.join('')}</channel></rss>`;
const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title type="html">Atom one</title><link rel="alternate" href="https://a.example/1"/><link rel="edit" href="https://a.example/edit/1"/><id>urn:a:1</id><updated>2026-02-01T00:00:00Z</updated><summary>S</summary><author><name>Bo</name></author></entry></feed>`;
const jsonFeed = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'J',
  items: [
    {
      id: 'j1',
      url: 'https://j.example/1',
      title: 'Json one',
      content_text: 'C',
      date_published: '2026-03-01T00:00:00Z',
      authors: [{ name: 'Cy' }],
    },
  ],
};

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    if (req.url === '/rss') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return res.end(rss());
    }
    if (req.url === '/atom') {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      return res.end(atom);
    }
    if (req.url === '/json') return sendJson(res, 200, jsonFeed, { 'content-type': 'application/feed+json' });
    if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html><body>not a feed</body></html>');
    }
    sendJson(res, 404, {});
  });
});
afterAll(() => server.close());

const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
const read = new NodeRegistry().register(...connectorNodeTypes(feedConnector, runtime)).get('feed.read')!;

describe('feed', () => {
  it('reads RSS, Atom and JSON Feed into one shape', async () => {
    const rssOut = await runNode(read, { params: { url: `${server.url}/rss`, limit: 50 } });
    expect(rssOut.map((i) => i.json)).toEqual([
      {
        id: 'post-2',
        title: 'Second & more',
        link: 'https://blog.example/2',
        published: '2026-01-06T10:00:00.000Z',
        summary: 'Two',
        author: '',
      },
      {
        id: 'post-1',
        title: 'First',
        link: 'https://blog.example/1',
        published: '2026-01-05T10:00:00.000Z',
        summary: '',
        author: 'Ada',
      },
    ]);
    const atomOut = await runNode(read, { params: { url: `${server.url}/atom`, limit: 50 } });
    expect(atomOut[0]?.json).toEqual({
      id: 'urn:a:1',
      title: 'Atom one',
      link: 'https://a.example/1',
      published: '2026-02-01T00:00:00.000Z',
      summary: 'S',
      author: 'Bo',
    });
    const jsonOut = await runNode(read, { params: { url: `${server.url}/json`, limit: 1 } });
    expect(jsonOut[0]?.json).toMatchObject({ id: 'j1', title: 'Json one', author: 'Cy', summary: 'C' });
  });

  it('says what is wrong with a non-feed', async () => {
    await expect(runNode(read, { params: { url: `${server.url}/html`, limit: 5 } })).rejects.toThrow(
      'Feed: document is neither RSS 2.0, Atom nor JSON Feed',
    );
    expect(() => parseFeed('{"version":"1"}')).toThrow(/not a JSON Feed/);
    await expect(runNode(read, { params: { url: `${server.url}/missing`, limit: 5 } })).rejects.toThrow(/HTTP 404/);
  });

  it('triggers on new entries only', async () => {
    const trigger = feedConnector.triggers[0]!;
    if (trigger.kind !== 'polling') throw new Error('expected polling');
    const rt = { ...runtime, state: new MemoryTriggerStateStore() };
    const site = { workspaceId: 'w', workflowId: 'f', nodeId: 'n', props: { url: `${server.url}/rss` } };
    expect(await pollTrigger(feedConnector, trigger, site, rt)).toEqual([]);
    rssItems.unshift('<item><title>Third</title><link>https://blog.example/3</link><guid>post-3</guid></item>');
    expect((await pollTrigger(feedConnector, trigger, site, rt)).map((i) => i.json.id)).toEqual(['post-3']);
    expect(await pollTrigger(feedConnector, trigger, site, rt)).toEqual([]);
  });
});
