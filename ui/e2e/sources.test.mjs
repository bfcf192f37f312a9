// The Sources view in headless Chromium: create a source, copy its key,
// send an event with it the way an SDK does, and watch it (and a rejected
// one) arrive in the live debugger.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 50 });

test('create a source and see its events arrive in the live debugger', { skip: env.missing || false, timeout: 120_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/sources');
  await page.getByRole('heading', { level: 1, name: 'Sources' }).waitFor();

  const form = page.getByRole('form', { name: 'Create a source' });
  await form.getByLabel('Name').fill('kiosk');
  await form.getByLabel('Channel', { exact: true }).selectOption('store');
  await form.getByRole('button', { name: 'Create source' }).click();
  const key = await page.getByRole('textbox', { name: 'Write key' }).inputValue();
  assert.match(key, /\S{16,}/, 'the new write key is shown');

  await page.getByRole('link', { name: /Open “kiosk”/ }).click();
  await page.getByRole('heading', { level: 1, name: /kiosk/ }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

  // An SDK call with the key (Basic auth, as analytics-node sends it), and one the server rejects.
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const send = (body) => fetch(`${env.server.url}/v1/batch`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const res = await send({ batch: [
    { type: 'track', event: 'Kiosk Checkin', userId: 'kiosk-user-1', messageId: 'kiosk-1', properties: { store: 'denver' } },
    { type: 'track', event: 'Kiosk Orphan', messageId: 'kiosk-2' },
  ] });
  assert.equal(res.status, 200);

  const table = page.getByRole('region', { name: 'Live events' }).or(page.locator('.dbg-panel'));
  await table.getByText('Kiosk Checkin').first().waitFor();
  await page.locator('.dbg-reason').first().waitFor();
  await page.screenshot({ path: join(artifacts, 'sources-debugger.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
