import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { ClvTab } from './clv/ClvTab'
import { distributionOption } from './clv/request'
import { ExperimentsTab } from './experiments/ExperimentsTab'
import { LiftTab } from './lift/LiftTab'
import { StagesTab } from './stages/StagesTab'

const ci = (low: number, high: number) => ({ low, high })

describe('LiftTab', () => {
  it('shows the arms, the relative lift with its interval, P(exposed better) and the SRM check', async () => {
    mockFetch({
      'POST /v1/analytics/lift': {
        body: {
          unit: 'exposure',
          window: '30d',
          horizon: '2026-11-25T00:00:00Z',
          holdout: { customers: 1500, units: 1500, conversions: 105, rate: 0.07, ci: ci(0.058, 0.084) },
          exposed: { customers: 8500, units: 8500, conversions: 735, rate: 0.0865, ci: ci(0.081, 0.092) },
          excluded: { after_conversion: 12, open_window: 3456 },
          test: { rate_a: 0.07, rate_b: 0.0865, z: -2, p: 0.04, diff: 0.0165, diff_ci: ci(0.002, 0.031), lift: { estimate: 0.236, ci: ci(0.124, 0.358) }, alpha: 0.05 },
          bayes: { p_best: [0.004, 0.996], expected_loss: [0.01, 0], method: 'closed-form' },
          srm: { observed: [1500, 8500], expected: [1500, 8500], chi_square: 0, df: 1, p: 1, mismatch: false },
          notes: [],
        },
      },
    })
    renderView(<LiftTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    expect(await screen.findByText('+23.6%')).toBeInTheDocument()
    expect(screen.getByText('95% interval [12.4%, 35.8%]')).toBeInTheDocument()
    expect(screen.getByText('99.6%')).toBeInTheDocument()
    expect(screen.getByText('As planned')).toBeInTheDocument()
    expect(screen.getByText('+1.7 pts')).toBeInTheDocument()
    const arms = screen.getByRole('region', { name: 'Arms' })
    expect(within(arms).getByText('8,500', { selector: 'td:nth-child(2)' })).toBeInTheDocument()
    expect(screen.getByText(/3,456 whose 30d window was still open/)).toBeInTheDocument()
  })

  it('puts the API’s refusal of the holdout share next to that field', async () => {
    mockFetch({
      'POST /v1/analytics/lift': apiError(422, 'invalid', 'invalid analysis request: holdout_share 2 must be in [0, 1)'),
    })
    renderView(<LiftTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    const share = screen.getByLabelText('Planned holdout share')
    await waitFor(() => expect(share).toHaveAccessibleDescription(/must be in \[0, 1\)/))
    expect(screen.getByLabelText('Window')).not.toHaveAttribute('aria-invalid')
  })
})

const fit = { log_likelihood: -9582.43, iterations: 20, converged: true, grad_norm: 0, customers: 2357 }
const clv = {
  event: 'Order Completed',
  revenue: 'revenue',
  calibration_end: '2026-06-30T00:00:00Z',
  horizon_weeks: 52,
  discount_rate: 0.1,
  transactions: 6919,
  missing_revenue: 0,
  bg_nbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  bg_nbd_fit: fit,
  gamma_gamma: { p: 6.25, q: 3.74, gamma: 15.44 },
  gamma_gamma_fit: fit,
  population: { customers: 2357, repeaters: 1000, expected_purchases: 1234.5, total_clv: 98765.4 },
  top: [{ profile_id: 'p_top', x: 12, t_x: 30, T: 38, zbar: 55, p_alive: 0.93, expected_purchases: 7.5, discounted_purchases: 7, expected_spend: 54.2, clv: 1379.9, clv_undiscounted: 1400 }],
  distribution: {
    of: 'clv' as const,
    buckets: [
      { from: 0, to: 50, customers: 2000 },
      { from: 50, to: 100, customers: 357 },
    ],
    p_alive: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, customers: i === 9 ? 2357 : 0 })),
  },
  notes: [],
}

describe('CLV distribution chart', () => {
  it('draws the value buckets (the last open) and P(alive) in tenths side by side', () => {
    const o = distributionOption(clv)
    expect(o.xAxis[0]?.data).toEqual(['0.00–50.00', '≥ 50.00'])
    expect(o.xAxis[1]?.data?.at(-1)).toBe('90–100%')
    expect(o.series.map((s) => s.data)).toEqual([[2000, 357], [0, 0, 0, 0, 0, 0, 0, 0, 0, 2357]])
  })
})

describe('ClvTab', () => {
  it('shows the fit, links the top customers to their profiles, and applies the traits after a confirmation', async () => {
    const calls = mockFetch({
      'POST /v1/analytics/clv': { body: clv },
      'POST /v1/analytics/clv/apply': { body: { customers: 2357, profiles_changed: 2300, traits: ['p_alive', 'predicted_purchases_90d', 'predicted_clv'] } },
    })
    renderView(<ClvTab />)
    await userEvent.type(screen.getByLabelText('Horizon (weeks)'), '{Backspace}{Backspace}26')
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    expect(await screen.findByText(/r 0\.243, α 4\.414, a 0\.793, b 2\.426/)).toBeInTheDocument()
    expect(screen.getAllByText(/log-likelihood -9,582\.43, converged in 20 iterations/)).toHaveLength(2)
    expect(screen.getByRole('link', { name: 'p_top' })).toHaveAttribute('href', '/profiles/p_top')
    expect(screen.getByText('1,379.90')).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Apply as traits…' }))
    expect(screen.getByText(/on all 2,357 customers\?/)).toBeInTheDocument()
    expect(calls.some((c) => c.url.pathname.endsWith('/apply'))).toBe(false)
    await userEvent.click(screen.getByRole('button', { name: 'Apply to all customers' }))
    expect(await screen.findByText(/on 2,300 of 2,357 customers/)).toBeInTheDocument()
    const apply = calls.find((c) => c.url.pathname === '/v1/analytics/clv/apply')
    expect(apply?.body).toMatchObject({ event: 'Order Completed', horizon_weeks: 26 })
  })
})

const z = (diff: number, p: number) => ({ rate_a: 0, rate_b: 0, z: 0, p, diff, diff_ci: ci(diff - 0.01, diff + 0.01), lift: null, alpha: 0.05 })

describe('ExperimentsTab', () => {
  it('shows the journey report with underperformers flagged, then an experiment’s analysis', async () => {
    const calls = mockFetch({
      'GET /v1/journeys': { body: { journeys: [{ id: 'j1', name: 'Welcome', status: 'live', created_at: '', updated_at: '' }] } },
      'GET /v1/journeys/j1': {
        body: { id: 'j1', name: 'Welcome', status: 'live', unpublished_changes: false, live: { nodes: [{ id: 'subject', experiment: { metric: 'Order Completed' } }] } },
      },
      'GET /v1/analytics/journeys/j1/report': {
        body: {
          journey_id: 'j1',
          name: 'Welcome',
          instances: 1200,
          nodes: [{ node: 'email-1', entered: 1200, waiting: 3, sent: 1100, skipped: 100, failed: 0, delivered: 1090, opened: 500, clicked: 90, converted: 40, exited: { goal: 40 }, control: { sent: { successes: 40, trials: 1100 }, control: { successes: 20, trials: 100 }, test: z(-0.16, 0.001), adjusted_p: 0.002, underperforming: true } }],
          conversion: { treated: { successes: 40, trials: 1100 }, holdout: { successes: 5, trials: 100 }, treated_rate: 0.036, treated_ci: ci(0.03, 0.05), holdout_rate: 0.05, holdout_ci: ci(0.02, 0.11), test: z(-0.014, 0.4), underperforming: false },
          splits: [{ node: 'subject', best: 'b', arms: [
            { arm: 'a', counts: { successes: 10, trials: 500 }, rate: 0.02, ci: ci(0.01, 0.04), vs_best: z(-0.03, 0.001), vs_control: null, adjusted_p: 0.003, underperforming: true },
            { arm: 'b', counts: { successes: 25, trials: 500 }, rate: 0.05, ci: ci(0.03, 0.07), vs_best: null, vs_control: null, adjusted_p: null, underperforming: false },
          ] }],
        },
      },
      'GET /v1/analytics/experiments/j1/subject': {
        body: {
          journey_id: 'j1', version: 1, node: 'subject', kind: 'experiment', metric: 'Order Completed', window: '7d',
          arms: [{ id: 'a', planned_percent: 50, successes: 10, trials: 500, rate: 0.02 }, { id: 'b', planned_percent: 50, successes: 25, trials: 500, rate: 0.05 }],
          comparisons: [{ a: 'a', b: 'b', report: { z_test: z(0.03, 0.01), sequential: { diff: 0.03, p: 0.03, cs: ci(0.001, 0.06), reject: true }, notes: [] } }],
          bayes: { p_best: [0.003, 0.997], expected_loss: [0.03, 0], method: 'closed-form' },
          srm: { observed: [500, 500], expected: [500, 500], chi_square: 0, df: 1, p: 1, mismatch: false },
          notes: [],
        },
      },
    })
    renderView(<ExperimentsTab />)
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Journey' }), 'j1')
    const steps = await screen.findByRole('region', { name: 'Counts per journey step' })
    expect(within(steps).getByText('1,100')).toBeInTheDocument()
    expect(within(steps).getByText('underperforming').closest('tr')).toHaveClass('m-row-bad')
    const arms = screen.getByRole('region', { name: 'Arms of subject' })
    expect(within(arms).getByText('0.003')).toBeInTheDocument()
    expect(within(arms).getByRole('rowheader', { name: 'a' }).closest('tr')).toHaveClass('m-row-bad')

    await userEvent.click(await screen.findByRole('button', { name: 'Analyze' }))
    expect(await screen.findByText('Significant (safe to stop)')).toBeInTheDocument()
    expect(screen.getByText('99.7%')).toBeInTheDocument()
    const exp = calls.find((c) => c.url.pathname === '/v1/analytics/experiments/j1/subject')
    expect(exp?.headers.Prefer).toBe('respond-async, wait=2')
  })
})

describe('StagesTab', () => {
  it('marks the significant rows', async () => {
    const row = (template: string, rate: number, significant: boolean) => ({
      stage: 'lapsed', template, channel: 'email', sends: 1000, responders: rate * 1000, rate, ci: ci(rate - 0.01, rate + 0.01),
      stage_rate: 0.1, adjusted_p: significant ? 0.01 : 0.5, significant,
    })
    const calls = mockFetch({
      'GET /v1/analytics/stages/report': { body: { metric: 'opened', sort: 'rate', rows: [row('winback', 0.2, true), row('newsletter', 0.1, false)] } },
    })
    renderView(<StagesTab />)
    await userEvent.selectOptions(screen.getByLabelText('Response'), 'opened')
    await userEvent.click(screen.getAllByRole('button', { name: 'Run' })[0]!)
    const badge = await screen.findByText('better than the stage')
    expect(badge.closest('tr')).toHaveTextContent('winback')
    expect(badge.closest('tr')).toHaveClass('m-row-good')
    expect(calls[0]?.url.search).toBe('?metric=opened&sort=rate')
  })
})
