import { describe, expect, it } from 'vitest'
import { byChannel, minuteLabels, trafficOption } from './traffic'

const series = {
  start: '2026-11-01T10:58:00Z',
  minutes: 3,
  sources: [
    { source_id: 'src_web', source_name: 'nto-web', channel: 'web', counts: [5, 0, 7], total: 12 },
    { source_id: 'src_pos', source_name: '', channel: 'store', counts: [0, 1, 0], total: 1 },
  ],
}

describe('traffic', () => {
  it('sums the sources of a channel', () => {
    const s = byChannel({
      ...series,
      sources: [...series.sources, { source_id: 'src_app', source_name: 'app', channel: 'web', counts: [1, 1, 1], total: 3 }],
    })
    expect(s.sources.map((x) => [x.source_name, x.counts, x.total])).toEqual([
      ['web', [6, 1, 8], 15],
      ['store', [0, 1, 0], 1],
    ])
  })

  it('labels each minute in local time', () => {
    const labels = minuteLabels(series)
    expect(labels).toHaveLength(3)
    const first = new Date('2026-11-01T10:58:00Z')
    expect(labels[0]).toBe(`${String(first.getHours()).padStart(2, '0')}:58`)
    expect(labels[2]).toMatch(/:00$/)
  })

  it('stacks one bar series per source, named by source (its id when unnamed)', () => {
    const o = trafficOption(series)
    expect(o.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['nto-web', 'events', [5, 0, 7]],
      ['src_pos', 'events', [0, 1, 0]],
    ])
    expect(o.xAxis?.data).toHaveLength(3)
    expect(o.legend).toEqual({ top: 0, data: ['nto-web', 'src_pos'] })
  })
})
