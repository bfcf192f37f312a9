// A journey on the canvas in headless Chromium: a draft made through the
// API is drawn, published from the canvas (with its diff dialog), and a test
// customer is watched moving through its delay and its message.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 100 });

const definition = {
  id: 'e2e-ping', name: 'E2E ping',
  entry: { event: { name: 'E2E Ping' }, next: 'pause' },
  nodes: [
    { id: 'pause', delay: { duration: '2s' }, next: 'hello' },
    { id: 'hello', message: { channel: 'email', template: 'welcome', on_failure: 'skip' }, next: 'done' },
    { id: 'done', exit: {} },
  ],
};

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
  const created = await env.server.api('POST', '/v1/journeys', { definition });
  assert.equal(created.status, 201, JSON.stringify(created.json));

  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/journeys');
  await page.getByRole('link', { name: 'E2E ping' }).click();
  const cards = page.locator('.jr-card');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 4, 'the entry and three steps are drawn');

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
  assert.equal(sends[0].node_id, 'hello');
  await until('the instance to finish', async () => {
    const inst = (await env.server.api('GET', '/v1/profiles/user_id:e2e-1/journeys')).json;
    return inst?.instances?.some((i) => i.journey_id === 'e2e-ping' && i.status !== 'active');
  });

  // The canvas shows the customer's passage on the cards.
  await page.reload();
  const hello = cards.filter({ hasText: 'hello' });
  await hello.locator('.jr-card-counts').waitFor({ timeout: 30_000 });
  assert.match(await hello.innerText(), /1\s+(in|sent)/);
  await page.screenshot({ path: join(artifacts, 'journey-canvas.png') });

  // A step dragged on the canvas keeps its place: saved with the draft, drawn there after a reload.
  const node = page.locator('.react-flow__node[data-id="pause"]');
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
  assert.ok(saved?.pause && saved.pause.y - before.y > 30, `the new position is in the draft: ${JSON.stringify(saved)} (was ${JSON.stringify(before)})`);
  await page.reload();
  await node.waitFor();
  assert.deepEqual(await at(), saved.pause, 'drawn where it was left');
  assert.deepEqual(problems, []);
  await page.close();
});
