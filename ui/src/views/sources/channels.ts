// The channels and parties a source may declare (internal/httpapi/sources.go),
// with the words the console shows for them.

export const CHANNELS = [
  { value: 'web', label: 'Website' },
  { value: 'app', label: 'Mobile app' },
  { value: 'store', label: 'Store (point of sale)' },
  { value: 'call_center', label: 'Call center' },
  { value: 'email', label: 'Email' },
  { value: 'ads', label: 'Ads' },
  { value: 'direct_mail', label: 'Direct mail' },
  { value: 'social', label: 'Social' },
  { value: 'partner', label: 'Partner' },
  { value: 'vendor', label: 'Vendor' },
  { value: 'server', label: 'Server (backend)' },
] as const

export const PARTIES = [
  { value: 'first', label: 'First party — your own touchpoints' },
  { value: 'second', label: 'Second party — a partner’s data about your customers' },
  { value: 'third', label: 'Third party — bought or enriched data' },
] as const

export function channelLabel(channel: string): string {
  return CHANNELS.find((c) => c.value === channel)?.label ?? channel
}

/**
 * Cairn's own source, where the events it emits (Segment Entered, Stage
 * Changed…) are logged. It must have no write keys: the server refuses to start
 * when it has one (internal/app/internal_source.go).
 */
export function isInternalSource(s: { name: string; channel: string }): boolean {
  return s.name === 'cairn' && s.channel === 'server'
}
