import { describe, expect, it } from 'vitest'
import { snippets } from './snippets'

const KEY = 'wk_3f9a1c'
const ORIGIN = 'https://cairn.nto.example:4280'

describe('snippets', () => {
  const list = snippets(KEY, ORIGIN)

  it('covers every official SDK and curl', () => {
    expect(list.map((s) => s.label)).toEqual(['Browser', 'Node.js', 'Go', 'RudderStack Node.js', 'RudderStack Go', 'curl'])
  })

  it.each(list.map((s) => [s.label, s.code]))('%s carries the write key and this server', (_, code) => {
    expect(code).toContain(KEY)
    expect(code).toContain(ORIGIN)
  })

  it('points each SDK at the server with its own option', () => {
    const code = Object.fromEntries(list.map((s) => [s.id, s.code]))
    expect(code.browser).toContain(`AnalyticsBrowser.load({\n  writeKey: '${KEY}',\n  cdnURL: '${ORIGIN}',\n})`)
    expect(code.node).toContain(`new Analytics({ writeKey: '${KEY}', host: '${ORIGIN}' })`)
    expect(code.go).toContain(`analytics.NewWithConfig("${KEY}", analytics.Config{Endpoint: "${ORIGIN}"})`)
    expect(code['rudder-node']).toContain(`new RudderAnalytics('${KEY}', { dataPlaneUrl: '${ORIGIN}' })`)
    expect(code['rudder-go']).toContain(`analytics.NewWithConfig("${KEY}", analytics.Config{DataPlaneUrl: "${ORIGIN}"})`)
    expect(code.curl).toBe(
      `curl -u '${KEY}:' -H 'Content-Type: application/json' \\\n` +
        `  -d '{"userId":"u-1","event":"Test Event","type":"track"}' \\\n` +
        `  '${ORIGIN}/v1/track'\n`,
    )
  })

  it('quotes what it is given so the code stays valid', () => {
    const odd = snippets(`k'"\\`, `http://h'x`)
    const code = Object.fromEntries(odd.map((s) => [s.id, s.code]))
    expect(code.node).toContain(`writeKey: 'k\\'"\\\\'`)
    expect(code.go).toContain(`NewWithConfig("k'\\"\\\\"`)
    expect(code.curl).toContain(`-u 'k'\\''"\\:'`)
    expect(code.curl).toContain(`'http://h'\\''x/v1/track'`)
  })
})
