import { describe, expect, it } from 'vitest'
import { attributionCall, ATTRIBUTION_DEFAULTS } from './attribution/request'
import { clvApplyCall, clvCall, CLV_DEFAULTS } from './clv/request'
import { experimentCall, experimentNodes, journeyReportCall } from './experiments/request'
import { FUNNEL_DEFAULTS, funnelBody, funnelCall, type FunnelForm } from './funnels/request'
import { liftCall, LIFT_DEFAULTS } from './lift/request'
import { pathsCall, PATHS_DEFAULTS } from './paths/request'
import { dayEnd, filterJSON, NO_FILTER, scalar } from './requestParts'
import { retentionCall, RETENTION_DEFAULTS } from './retention/request'
import { stageFlowCall, stagesReportCall } from './stages/request'

describe('funnel request', () => {
  it('sends the steps, window and order, leaving out what is not set', () => {
    expect(funnelCall(FUNNEL_DEFAULTS)).toEqual({
      method: 'POST',
      path: '/v1/analytics/funnels',
      body: {
        steps: [
          { event: 'Product Viewed' },
          { event: 'Product Added' },
          { event: 'Checkout Started' },
          { event: 'Order Completed' },
        ],
        window: '7d',
        order: 'strict',
      },
    })
  })

  it('adds filters, the breakdown, whole-day periods, the comparison and a drop-off to save', () => {
    const f: FunnelForm = {
      ...FUNNEL_DEFAULTS,
      steps: [
        { event: ' Product Viewed ', filter: { property: 'category', op: 'equals', value: 'tents' } },
        { event: 'Order Completed', filter: { property: 'revenue', op: 'gt', value: '100' } },
      ],
      order: 'any',
      breakdown: 'property',
      breakdownArg: ' category ',
      since: '2026-01-01',
      until: '2026-01-31',
      compare: true,
      compareSince: '2025-12-01',
      compareUntil: '2025-12-31',
    }
    expect(funnelBody(f, { step: 2, name: ' Big spenders who left ' })).toEqual({
      steps: [
        { event: 'Product Viewed', where: [{ property: 'category', op: 'equals', value: 'tents' }] },
        { event: 'Order Completed', where: [{ property: 'revenue', op: 'gt', value: 100 }] },
      ],
      window: '7d',
      order: 'any',
      breakdown: 'property:category',
      since: '2026-01-01T00:00:00Z',
      until: '2026-02-01T00:00:00Z',
      compare: { since: '2025-12-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      save_dropoff: { step: 2, name: 'Big spenders who left' },
    })
  })

  it('spells the other breakdowns as the API does', () => {
    expect(funnelBody({ ...FUNNEL_DEFAULTS, breakdown: 'channel' }).breakdown).toBe('channel')
    expect(funnelBody({ ...FUNNEL_DEFAULTS, breakdown: 'stage' }).breakdown).toBe('stage')
    expect(funnelBody({ ...FUNNEL_DEFAULTS, breakdown: 'segment', breakdownArg: 'seg_1' }).breakdown).toBe('segment:seg_1')
    expect(funnelBody({ ...FUNNEL_DEFAULTS, breakdown: 'none', breakdownArg: 'x' }).breakdown).toBeUndefined()
  })
})

describe('filters', () => {
  it('reads numbers, booleans and "quoted" text', () => {
    expect(scalar('42')).toBe(42)
    expect(scalar('true')).toBe(true)
    expect(scalar('"80202"')).toBe('80202')
    expect(scalar(' gold ')).toBe('gold')
  })

  it('builds lists, context fields and value-less operators', () => {
    expect(filterJSON({ property: 'tier', op: 'in', value: 'gold, "silver"' })).toEqual({
      property: 'tier',
      op: 'in',
      value: ['gold', 'silver'],
    })
    expect(filterJSON({ property: 'revenue', op: 'between', value: '10,20' })).toEqual({
      property: 'revenue',
      op: 'between',
      value: [10, 20],
    })
    expect(filterJSON({ property: 'context.campaign.medium', op: 'equals', value: 'email' })).toEqual({
      context: 'campaign.medium',
      op: 'equals',
      value: 'email',
    })
    expect(filterJSON({ ...NO_FILTER, property: 'coupon', op: 'exists', value: 'ignored' })).toEqual({
      property: 'coupon',
      op: 'exists',
    })
  })

  it('ends a picked day at the next midnight, across months', () => {
    expect(dayEnd('2026-02-28')).toBe('2026-03-01T00:00:00Z')
    expect(dayEnd('')).toBeUndefined()
  })
})

describe('the other request builders', () => {
  it('paths: from or to, with numbers', () => {
    expect(pathsCall(PATHS_DEFAULTS).body).toEqual({ from: 'Signed Up', depth: 4, top: 10, level: 'event' })
    expect(pathsCall({ ...PATHS_DEFAULTS, anchor: 'to', event: 'Order Completed', level: 'channel', top: '' }).body).toEqual({
      to: 'Order Completed',
      depth: 4,
      level: 'channel',
    })
  })

  it('retention', () => {
    expect(retentionCall(RETENTION_DEFAULTS)).toEqual({
      method: 'POST',
      path: '/v1/analytics/retention',
      body: { cohort_event: 'Signed Up', return_event: 'Order Completed', period: 'month', periods: 6 },
    })
  })

  it('attribution: the models checked, in the server’s order, and the Markov order only with Markov', () => {
    const body = attributionCall({ ...ATTRIBUTION_DEFAULTS, by: 'campaign', models: ['markov', 'first'], order: '2' }).body
    expect(body).toEqual({
      conversion: 'Order Completed',
      value: 'revenue',
      lookback: '30d',
      by: 'campaign',
      models: ['first', 'markov'],
      order: 2,
    })
    expect(attributionCall({ ...ATTRIBUTION_DEFAULTS, models: ['last'] }).body).not.toHaveProperty('order')
  })

  it('lifetime value and applying it send the same fit', () => {
    const f = { ...CLV_DEFAULTS, calibrationEnd: '2026-06-30', horizonWeeks: '26', discountRate: '0.08' }
    const body = {
      event: 'Order Completed',
      revenue: 'revenue',
      calibration_end: '2026-06-30T00:00:00Z',
      horizon_weeks: 26,
      discount_rate: 0.08,
    }
    expect(clvCall(f)).toEqual({ method: 'POST', path: '/v1/analytics/clv', body })
    expect(clvApplyCall(f)).toEqual({ method: 'POST', path: '/v1/analytics/clv/apply', body })
    expect(clvCall({ ...CLV_DEFAULTS, horizonWeeks: '' }).body).not.toHaveProperty('horizon_weeks')
  })

  it('lift: the three records, the window, the unit and the planned share', () => {
    expect(liftCall(LIFT_DEFAULTS).body).toEqual({
      exposure: { event: 'Catalog Delivered' },
      holdout: { event: 'Catalog Held Out' },
      conversion: { event: 'Order Completed' },
      window: '30d',
      first_conversion: true,
      unit: 'exposure',
      holdout_share: 0.15,
    })
    expect(liftCall({ ...LIFT_DEFAULTS, firstConversion: false, holdoutShare: '' }).body).toMatchObject({
      first_conversion: false,
    })
  })

  it('journey reports, experiments and stage reports are GETs with a query', () => {
    expect(journeyReportCall('j 1')).toEqual({ method: 'GET', path: '/v1/analytics/journeys/j%201/report' })
    expect(experimentCall('j1', { node: 'exp', metric: ' Order Completed ', window: '' })).toEqual({
      method: 'GET',
      path: '/v1/analytics/experiments/j1/exp',
      query: { metric: 'Order Completed', window: undefined },
    })
    expect(stagesReportCall({ metric: 'opened', sort: 'sends' }).query).toEqual({ metric: 'opened', sort: 'sends' })
    expect(stageFlowCall('week')).toEqual({ method: 'GET', path: '/v1/analytics/stages/flow', query: { period: 'week' } })
  })

  it('finds the experiment and random-split nodes of the live version', () => {
    const nodes = experimentNodes({
      id: 'j1',
      name: 'Welcome',
      status: 'live',
      created_at: '',
      updated_at: '',
      unpublished_changes: false,
      live: {
        nodes: [
          { id: 'start', name: 'Entry' },
          { id: 'exp', name: 'Subject test', experiment: { metric: 'Order Completed', variants: [] } },
          { id: 'rs', random_split: { paths: [] } },
        ],
      },
    })
    expect(nodes).toEqual([
      { id: 'exp', label: 'Subject test (exp)', kind: 'experiment', metric: 'Order Completed' },
      { id: 'rs', label: 'rs', kind: 'random_split' },
    ])
    expect(experimentNodes(undefined)).toEqual([])
  })
})
