import { describe, expect, it } from 'vitest'
import type { JourneyStatsFull } from './journeysApi'
import { nodeCounts } from './overlay'
import { ENTRY_ID } from './types'

describe('nodeCounts', () => {
  it('takes who is where now and the sends from the stats, entered and converted from the report', () => {
    const stats: JourneyStatsFull = {
      journey_id: 'w',
      status: 'live',
      live_version: 1,
      entered: 82,
      goals: 3,
      exited: {},
      nodes: [
        { node: 'offer-email', active: 0, queued: 0, sent: 52, failed: 0, skipped: {} },
        { node: 'wait-order', active: 80, queued: 0, sent: 0, failed: 0, skipped: {} },
      ],
    }
    const report = [
      { node: 'offer-email', entered: 82, waiting: 0, sent: 51, converted: 3 },
      { node: 'wait-order', entered: 82, waiting: 82, sent: 0, converted: 0 },
    ]
    const c = nodeCounts(stats, report)
    expect(c.get('offer-email')).toEqual({ entered: 82, waiting: 0, sent: 52, converted: 3 })
    expect(c.get('wait-order')).toEqual({ entered: 82, waiting: 80 })
    expect(c.get(ENTRY_ID)).toEqual({ entered: 82, converted: 3 })
    expect(nodeCounts(undefined, undefined).size).toBe(0)
  })
})
