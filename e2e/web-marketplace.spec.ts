import { expect, test } from '@playwright/test';
import { WeftClient } from '@weft/client';
import { type StripeTestServer, startStripeTestServer } from '../packages/testing/src/stripe-test-server.js';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// The marketplace pages against a real `weft start` (SQLite) that lists the bundled templates and
// takes payments through the local Stripe server (its Checkout page stands in for Stripe's).
let host: WebHost;
let stripe: StripeTestServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stripe = await startStripeTestServer();
  host = await startWebHost({
    WEFT_SEED_EXAMPLES: 'true',
    WEFT_STRIPE_SECRET_KEY: stripe.secretKey,
    WEFT_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    WEFT_STRIPE_API_URL: stripe.url,
    WEFT_MARKETPLACE_FEE_PERCENT: '25',
  });
  stripe.webhookUrl = `${host.baseUrl}/api/v1/marketplace/stripe/webhook`;
});

test.afterAll(async () => {
  await host?.stop();
  await stripe?.close();
});

test('find a template in the marketplace, install it with its inputs, and run the installed workflow', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
  await expect(page.getByRole('heading', { name: 'Marketplace' })).toBeVisible();
  await expect(page.locator('.result-count')).toHaveText(/^(3\d|[4-9]\d) templates$/);
  await page.getByRole('radio', { name: /^stripe/ }).check();
  await expect(page).toHaveURL(/connector=stripe/);
  await expect(page.locator('.template-card').first()).toContainText('stripe');
  await page.screenshot({ path: info.outputPath('marketplace-facet.png') });

  await page.goto(`${host.baseUrl}/marketplace`);
  await page.getByLabel('Search templates').fill('order total');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/text=order\+total/);
  await page.getByRole('link', { name: 'Order total and tier API' }).click();

  await expect(page.getByRole('heading', { name: 'Order total and tier API' })).toBeVisible();
  await expect(page.locator('.description h2, .description p').first()).toBeVisible();
  const preview = page.locator('weft-canvas.template-preview');
  for (const name of ['Order webhook', 'Compute total', 'Large order?'])
    await expect(preview.locator('.weft-flow__node', { hasText: name })).toBeVisible();
  const wizard = page.getByRole('form', { name: 'Install' });
  await expect(wizard.getByLabel('Large order from')).toHaveValue('100');
  await wizard.getByLabel('Large order from').fill('50');
  await page.screenshot({ path: info.outputPath('template-page.png') });
  await wizard.getByRole('button', { name: 'Install' }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Installed.');

  await page.getByRole('link', { name: 'Open the workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');
  await page.screenshot({ path: info.outputPath('installed-run.png') });
});

test('cards show the server-drawn preview; the install wizard creates a missing credential inline and installs with it', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  await page.goto(`${host.baseUrl}/marketplace?text=contacts`);
  const card = page.locator('.template-card', { hasText: 'Import contacts from CSV into your CRM' });
  const thumb = card.locator('img.template-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
  await page.goto(`${host.baseUrl}/marketplace`);
  await expect(page.locator('img.template-thumb').first()).toBeVisible();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('img.template-thumb')].slice(0, 6).every((i) => i.complete),
  );
  await page.screenshot({ path: info.outputPath('marketplace-thumbnails.png') });

  await page.goto(`${host.baseUrl}/marketplace?text=contacts`);
  await page.getByRole('link', { name: 'Import contacts from CSV into your CRM' }).click();
  await expect(page.getByRole('heading', { name: 'Import contacts from CSV into your CRM' })).toBeVisible();
  const ogImage = await page.locator('meta[property="og:image"]').getAttribute('content');
  expect(ogImage).toMatch(/\/api\/v1\/marketplace\/templates\/[^/]+\/preview\.svg$/);
  const image = await page.request.get(ogImage as string);
  expect(image.headers()['content-type']).toContain('image/svg+xml');

  const wizard = page.getByRole('form', { name: 'Install' });
  await expect(wizard.getByText('None yet.')).toBeVisible();
  await wizard.getByRole('button', { name: 'New http.bearer credential' }).click();
  const creator = page.getByRole('region', { name: 'New credential' });
  await creator.getByLabel('Name').fill('CRM token');
  await creator.locator('input[type="password"]').first().fill('crm-secret-token');
  await page.screenshot({ path: info.outputPath('inline-credential.png') });
  await creator.getByRole('button', { name: /^Save/ }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Credential "CRM token"');
  await expect(creator).toBeHidden();
  const select = wizard.locator('select[name="credential:http.bearer"]');
  await expect(select.locator('option:checked')).toHaveText('CRM token');
  await wizard.getByLabel('CRM contacts endpoint').fill('https://crm.example.com/contacts');
  await wizard.getByRole('button', { name: 'Install' }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Installed.');
  await page.screenshot({ path: info.outputPath('installed-with-new-credential.png') });
});

const CREATOR = { email: 'cleo@example.com', password: 'cleo-password-1', name: 'Cleo Creator' };

test('a buyer pays for a template on the Checkout page, comes back, installs and runs it; the creator sees the fee split', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(150_000);
  // The creator joins the owner's workspace and publishes a paid template from a workflow there.
  const { client: owner, workspaceId } = await ownerClient(host);
  const invite = await owner.workspaces.invite(workspaceId, { role: 'editor', email: CREATOR.email });
  const creator = new WeftClient({ baseUrl: host.baseUrl });
  await creator.auth.signup({ token: invite.token, ...CREATOR });
  const flow = await creator.workflows.create(workspaceId, {
    name: 'Invoice greeting',
    nodes: [
      { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
      {
        id: 'say',
        name: 'Thank the customer',
        type: 'weft.set',
        parameters: { fields: [{ name: 'message', value: 'Thanks for your order' }] },
        position: [260, 0],
      },
    ],
    connections: [{ source: 'start', target: 'say' }],
  } as never);
  const published = await creator.transport.request<{ template: { id: string } }>(
    'POST',
    `/workspaces/${workspaceId}/marketplace/templates`,
    {
      body: {
        workflowId: flow.id,
        name: 'Premium order thank-you',
        summary: 'Thanks every customer after an order',
        description: 'A **paid** template.',
        categories: ['sales'],
        tags: ['orders'],
        changelog: 'First',
        priceAmount: 1500,
        currency: 'usd',
        payoutAccountId: 'acct_1CleoPayouts',
      },
    },
  );
  const templateId = published.template.id;

  // The owner buys it in the browser.
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/marketplace/${templateId}`);
  await expect(page.getByRole('heading', { name: 'Premium order thank-you' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Install' })).toHaveCount(0);
  await expect(page.locator('.template-page aside')).toContainText('15.00 USD');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
  await expect(page.getByRole('heading', { name: 'Weft template: Premium order thank-you' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('checkout-page.png') });
  await page.getByRole('button', { name: 'Pay 15.00 USD' }).click();

  await expect(page).toHaveURL(`${host.baseUrl}/marketplace/${templateId}`);
  await expect(page.locator('.template-page p.notice')).toContainText('Paid: the template is yours.');
  expect(stripe.deliveries.at(-1)).toMatchObject({ event: { type: 'checkout.session.completed' }, status: 200 });
  const wizard = page.getByRole('form', { name: 'Install' });
  await page.screenshot({ path: info.outputPath('back-from-checkout.png') });
  await wizard.getByRole('button', { name: 'Install' }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Installed.');
  await page.getByRole('link', { name: 'Open the workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');

  await page.goto(`${host.baseUrl}/marketplace/account`);
  await expect(page.locator('table.purchases tbody tr').first()).toContainText('paid');

  // The creator's revenue: 15.00 gross, the platform's 25% (3.75) and 11.25 net.
  const creatorContext = await browser.newContext();
  const creatorPage = await creatorContext.newPage();
  await signIn(creatorPage, host, CREATOR);
  await creatorPage.goto(`${host.baseUrl}/marketplace/account`);
  await expect(creatorPage.getByText('No purchases yet.')).toBeVisible();
  const revenue = creatorPage.locator('table.revenue tbody tr').first();
  await expect(revenue).toHaveText(/USD\s*1\s*15\.00 USD\s*3\.75 USD\s*0\s*11\.25 USD/);
  await creatorPage.screenshot({ path: info.outputPath('creator-revenue.png') });
  await creatorContext.close();
});

test('a 45-node template shows the start of its flow on its card, wrapped into rows, with the rest counted', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const { client, workspaceId } = await ownerClient(host);
  const steps = ['Fetch orders', 'Split items', 'Price item', 'Apply discount', 'Add tax', 'Round total'];
  const flow = await client.workflows.create(workspaceId, {
    name: 'Order pipeline',
    nodes: Array.from({ length: 45 }, (_, i) => ({
      id: `n${i}`,
      name: i === 0 ? 'Start' : `${steps[i % steps.length]} ${i}`,
      type: i === 0 ? 'weft.manualTrigger' : 'weft.set',
      parameters: i === 0 ? {} : { fields: [{ name: `f${i}`, value: String(i) }] },
      position: [i * 260, 0],
    })),
    connections: Array.from({ length: 44 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
  } as never);
  await client.transport.request('POST', `/workspaces/${workspaceId}/marketplace/templates`, {
    body: {
      workflowId: flow.id,
      name: 'Long order pipeline',
      summary: 'A long flow',
      description: 'Forty-five steps.',
      categories: ['ops'],
      tags: [],
      changelog: 'First',
    },
  });
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/marketplace?text=pipeline`);
  const card = page.locator('.template-card', { hasText: 'Long order pipeline' });
  const thumb = card.locator('img.template-thumb');
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
  const svg = await (await page.request.get((await thumb.getAttribute('src')) as string)).text();
  expect(svg).toContain('>+15 more nodes</text>');
  await card.screenshot({ path: info.outputPath('long-flow-card.png') });
  await page.goto(`${host.baseUrl}/marketplace`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('img.template-thumb')].slice(0, 9).every((i) => i.complete),
  );
  await page.screenshot({ path: info.outputPath('search-page.png'), fullPage: false });
});
