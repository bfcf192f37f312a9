// A journey on the canvas in headless Chromium: built from the palette and
// the side panel (an event entry, a delay, an email), published from the
// canvas (with its diff dialog), and a test customer watched moving through
// its delay and its message.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 100 });

async function until(what, fn, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('publish a journey on the canvas and watch a customer go through it', { skip: env.missing || false, timeout: 180_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/journeys');
  await page.getByRole('button', { name: 'New journey' }).click();
  await page.getByLabel('Name', { exact: true }).fill('E2E ping');
  await page.getByLabel(/^Id/).fill('e2e-ping');
  await page.getByRole('button', { name: 'Create draft' }).click();
  const cards = page.locator('.jr-card');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2, 'a new journey is an entry and an exit');

  // Build it on the canvas: the entry's event, a 2 s delay after it, then the welcome email.
  await page.locator('.react-flow__node[data-id="__entry"]').click();
  const side = page.getByRole('complementary');
  await side.getByLabel('Event name').fill('E2E Ping');
  const palette = page.getByRole('region', { name: 'Add a step' });
  await palette.getByRole('button', { name: 'Delay', exact: true }).click();
  await side.getByLabel('Duration').fill('2s');
  await palette.getByRole('button', { name: 'Message', exact: true }).click();
  await side.getByLabel('Channel').selectOption('email');
  await side.getByLabel('Template').selectOption('welcome');
  await side.getByLabel('If the send fails').selectOption('skip');
  assert.equal(await cards.count(), 4, 'the entry, the delay, the message and the exit');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved. No problems found.').waitFor();
  const draft = (await env.server.api('GET', '/v1/journeys/e2e-ping')).json.draft;
  assert.deepEqual(draft.entry, { event: { name: 'E2E Ping' }, next: 'delay-1' });
  const byId = Object.fromEntries(draft.nodes.map((n) => [n.id, n]));
  assert.deepEqual(byId['delay-1'], { id: 'delay-1', delay: { duration: '2s' }, next: 'message-1' });
  assert.equal(byId['message-1'].next, 'done');
  assert.deepEqual(byId['message-1'].message, { channel: 'email', template: 'welcome', on_failure: 'skip' });

  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText(/Published: version 1 is live/).waitFor();

  // A customer signs up and pings: the journey waits 2 s, then sends the email.
  const key = (await env.server.api('POST', '/v1/sources', { name: 'e2e-web', channel: 'web' })).json.write_keys[0].key;
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  for (const body of [
    { type: 'identify', userId: 'e2e-1', traits: { email: 'e2e-1@nto.example', consent: { email: true } } },
    { type: 'track', userId: 'e2e-1', event: 'E2E Ping' },
  ]) {
    const res = await fetch(`${env.server.url}/v1/${body.type}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
  }
  const sends = await until('the message send', async () => {
    const msgs = (await env.server.api('GET', '/v1/profiles/user_id:e2e-1/messages')).json;
    return msgs?.messages?.length ? msgs.messages : null;
  });
  assert.equal(sends[0].node_id, 'message-1');
  await until('the instance to finish', async () => {
    const inst = (await env.server.api('GET', '/v1/profiles/user_id:e2e-1/journeys')).json;
    return inst?.instances?.some((i) => i.journey_id === 'e2e-ping' && i.status !== 'active');
  });

  // The canvas shows the customer's passage on the cards.
  await page.reload();
  const hello = cards.filter({ hasText: 'message-1' });
  await hello.locator('.jr-card-counts').waitFor({ timeout: 30_000 });
  assert.match(await hello.innerText(), /1\s+(in|sent)/);
  await page.screenshot({ path: join(artifacts, 'journey-canvas.png') });

  // A step dragged on the canvas keeps its place: saved with the draft, drawn there after a reload.
  const node = page.locator('.react-flow__node[data-id="delay-1"]');
  const at = async () => {
    const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(await node.evaluate((el) => el.style.transform));
    return { x: Number(m[1]), y: Number(m[2]) };
  };
  const before = await at();
  const box = await node.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 60, { steps: 8 });
  await page.mouse.move(box.x + box.width / 2, box.y + 132, { steps: 8 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved. No problems found.').waitFor();
  const saved = (await env.server.api('GET', '/v1/journeys/e2e-ping')).json.draft.layout;
  assert.ok(saved?.['delay-1'] && saved['delay-1'].y - before.y > 30, `the new position is in the draft: ${JSON.stringify(saved)} (was ${JSON.stringify(before)})`);
  await page.reload();
  await node.waitFor();
  assert.deepEqual(await at(), saved['delay-1'], 'drawn where it was left');
  assert.deepEqual(problems, []);
  await page.close();
});
