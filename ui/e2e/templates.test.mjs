// The template editor in headless Chromium on the demo data: open the
// welcome email and preview it rendered for a real customer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 100 });

test('preview the welcome email for a demo customer', { skip: env.missing || false, timeout: 120_000 }, async () => {
  // A customer with an email and a first name.
  const list = (await env.server.api('GET', '/v1/profiles?limit=100')).json;
  const customer = list.profiles.find((p) => p.email && p.name);
  assert.ok(customer, 'a demo customer with a name and an email');

  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/templates');
  await page.getByRole('region', { name: 'Template list' }).or(page.getByRole('table')).first().waitFor();
  await page.goto(`${env.server.url}/templates/welcome`);
  await page.getByLabel('Profile', { exact: true }).fill(`email:${customer.email}`);
  const frame = page.frameLocator('iframe.tpl-frame').first();
  await frame.locator('body').waitFor({ timeout: 30_000 });
  const first = customer.name.split(' ')[0];
  await frame.getByText(first).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'template-preview.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
