// Sends a fixed customer journey to a running Cairn server through the
// unmodified official Node SDKs: @segment/analytics-node (plain JSON) and
// @rudderstack/rudder-sdk-node (gzipped JSON labelled
// application/x-www-form-urlencoded). It waits until every message is
// acknowledged and exits 0, or prints what failed and exits 1.
//
// Driven by TestNodeSDKs in ../e2e, which starts the server, creates the two
// sources and checks the resulting profiles through the management API.
//
//   CAIRN_URL=http://127.0.0.1:4280 CAIRN_SEGMENT_KEY=... CAIRN_RUDDER_KEY=... node send.mjs

import { Analytics } from '@segment/analytics-node'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'

const env = (name) => {
  const v = process.env[name]
  if (!v) {
    console.error(`send.mjs: set ${name} (see the comment at the top of this file)`)
    process.exit(2)
  }
  return v
}
const url = env('CAIRN_URL')
const segmentKey = env('CAIRN_SEGMENT_KEY')
const rudderKey = env('CAIRN_RUDDER_KEY')

// call invokes one SDK method and returns a promise settled by the SDK's
// per-message delivery callback.
const call = (sdk, method, label, message) =>
  new Promise((resolve, reject) => {
    sdk[method](message, (err) => (err ? reject(new Error(`${label} ${method}: ${err.message ?? err}`)) : resolve()))
  })

async function sendSegment() {
  const analytics = new Analytics({ writeKey: segmentKey, host: url, maxRetries: 3, httpRequestTimeout: 10000 })
  const failures = []
  analytics.on('error', (e) => failures.push(`segment: ${e.code}: ${e.reason?.message ?? e.reason}`))
  const s = (method, message) => call(analytics, method, 'segment', message)
  const sent = [
    s('page', { anonymousId: 'sn-anon-laptop', name: 'Home' }),
    s('track', { anonymousId: 'sn-anon-laptop', event: 'Product Viewed', properties: { product_id: 'p-200' } }),
    s('page', { anonymousId: 'sn-anon-phone', name: 'Sale' }),
    s('identify', {
      userId: 'sn-user-1',
      anonymousId: 'sn-anon-laptop',
      traits: { email: 'Nia.Node@Example.com', name: 'Nia Node', plan: 'gold', address: { city: 'Bend' } },
    }),
    s('track', { userId: 'sn-user-1', anonymousId: 'sn-anon-laptop', event: 'Order Completed', properties: { revenue: 54.25 } }),
    s('alias', { previousId: 'sn-anon-phone', userId: 'sn-user-1' }),
    s('group', { userId: 'sn-user-1', groupId: 'sn-acct-1', traits: { name: 'Nia Co', plan: 'team' } }),
  ]
  await analytics.closeAndFlush({ timeout: 20000 })
  await Promise.all(sent)
  if (failures.length) throw new Error(failures.join('\n'))
  return sent.length
}

async function sendRudder() {
  const client = new RudderAnalytics(rudderKey, { dataPlaneUrl: url, flushAt: 100, flushInterval: 60000, retryCount: 3, logLevel: 'error' })
  // Observe (not change) what the SDK puts on the wire, so the Go test can
  // tell that the gzip + form-urlencoded path was exercised.
  const wire = new Set()
  client.axiosInstance.interceptors.response.use((res) => {
    const h = res.config.headers
    wire.add(`${res.status} ${h['Content-Type']} ${h['Content-Encoding'] ?? 'identity'}`)
    return res
  })
  const r = (method, message) => call(client, method, 'rudder', message)
  const sent = [
    r('track', { anonymousId: 'rn-anon-1', event: 'Guide Downloaded' }),
    r('identify', { userId: 'rn-user-1', traits: { email: 'rex.node@example.com', name: 'Rex Node' } }),
    // An anonymousId on a server source's track call must not be linked.
    r('track', { userId: 'rn-user-1', anonymousId: 'rn-device-9', event: 'Order Completed', properties: { revenue: 99 } }),
    r('alias', { previousId: 'rn-anon-1', userId: 'rn-user-1' }),
  ]
  await client.flush()
  await Promise.all(sent)
  return `${sent.length} (requests: ${[...wire].join('; ')})`
}

try {
  const [seg, rud] = await Promise.all([sendSegment(), sendRudder()])
  console.log(`acknowledged: ${seg} events from @segment/analytics-node, ${rud} from @rudderstack/rudder-sdk-node`)
  process.exit(0)
} catch (err) {
  console.error(`send.mjs: ${err.stack ?? err}`)
  process.exit(1)
}
