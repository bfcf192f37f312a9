// The demo's three journeys (internal/demo/examples), read from the Go tree
// as the tests' fixtures, so they cannot drift from what the demo loads.
// Test-only: read with Node's fs, since Vite serves nothing outside ui/.

import type { JourneyDefinition } from './types'

type ReadFile = (path: URL, encoding: 'utf8') => string
const fsModule = 'node:fs'
const { readFileSync } = (await import(/* @vite-ignore */ fsModule)) as { readFileSync: ReadFile }

// Not new URL(…, import.meta.url) literally: Vite would turn that into an asset import.
const here = import.meta.url
const load = (name: string) => (): JourneyDefinition =>
  JSON.parse(readFileSync(new URL(`../../../../internal/demo/examples/${name}.json`, here), 'utf8')) as JourneyDefinition

export const welcome = load('welcome-series')
export const abandonedCart = load('abandoned-cart')
export const winBack = load('win-back')

export const DEMO_JOURNEYS = { welcome, abandonedCart, winBack }
