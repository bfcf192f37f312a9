// Copy-paste snippets for the official SDKs, pointed at this server with a
// source's write key. Each is the SDK's documented setup with the host changed
// (see README.md "Point your SDKs at Cairn" and test/sdk-node, test/e2e).

export interface Snippet {
  id: string
  /** The tab's name. */
  label: string
  /** The command that installs the SDK, shown above the code. */
  install?: string
  code: string
}

/** A JavaScript string literal in single quotes. */
function js(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** A Go (and JSON-compatible) string literal. */
function go(s: string): string {
  return JSON.stringify(s)
}

/** A shell word in single quotes. */
function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export function snippets(writeKey: string, origin: string): Snippet[] {
  return [
    {
      id: 'browser',
      label: 'Browser',
      install: 'npm install @segment/analytics-next',
      code: `import { AnalyticsBrowser } from '@segment/analytics-next'

// Cairn serves the settings the SDK asks for and points it back at itself.
export const analytics = AnalyticsBrowser.load({
  writeKey: ${js(writeKey)},
  cdnURL: ${js(origin)},
})

analytics.track('Test Event')
`,
    },
    {
      id: 'node',
      label: 'Node.js',
      install: 'npm install @segment/analytics-node',
      code: `import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: ${js(writeKey)}, host: ${js(origin)} })

analytics.track({ userId: 'u-1', event: 'Test Event' })
await analytics.closeAndFlush()
`,
    },
    {
      id: 'go',
      label: 'Go',
      install: 'go get github.com/segmentio/analytics-go/v3@v3.3.0',
      code: `import "github.com/segmentio/analytics-go/v3"

client, err := analytics.NewWithConfig(${go(writeKey)}, analytics.Config{Endpoint: ${go(origin)}})
if err != nil {
	log.Fatal(err)
}
defer client.Close() // flushes what is queued

client.Enqueue(analytics.Track{UserId: "u-1", Event: "Test Event"})
`,
    },
    {
      id: 'rudder-node',
      label: 'RudderStack Node.js',
      install: 'npm install @rudderstack/rudder-sdk-node',
      code: `import RudderAnalytics from '@rudderstack/rudder-sdk-node'

const client = new RudderAnalytics(${js(writeKey)}, { dataPlaneUrl: ${js(origin)} })

client.track({ userId: 'u-1', event: 'Test Event' })
await client.flush()
`,
    },
    {
      id: 'rudder-go',
      label: 'RudderStack Go',
      install: 'go get github.com/rudderlabs/analytics-go/v4@v4.2.1',
      code: `import analytics "github.com/rudderlabs/analytics-go/v4"

client, err := analytics.NewWithConfig(${go(writeKey)}, analytics.Config{DataPlaneUrl: ${go(origin)}})
if err != nil {
	log.Fatal(err)
}
defer client.Close() // flushes what is queued

client.Enqueue(analytics.Track{UserId: "u-1", Event: "Test Event"})
`,
    },
    {
      id: 'curl',
      label: 'curl',
      code: `curl -u ${sh(writeKey + ':')} -H 'Content-Type: application/json' \\
  -d '{"userId":"u-1","event":"Test Event","type":"track"}' \\
  ${sh(origin + '/v1/track')}
`,
    },
  ]
}
