import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { apiError, mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { FunnelsTab } from './funnels/FunnelsTab'

const segments = { 'GET /v1/segments': { body: { segments: [] } } }

const step = (event: string, count: number, fromFirst: number, dropped = 0) => ({
  event,
  count,
  conversion_from_previous: fromFirst,
  conversion_from_first: fromFirst,
  median_seconds: 90,
  p90_seconds: 600,
  dropped: { total: dropped, sample: [] },
})

const result = {
  entered: 12345,
  steps: [step('Product Viewed', 12345, 1), step('Product Added', 2000, 0.162, 10345)],
  window: '7d',
  order: 'strict',
  note: '',
}

describe('FunnelsTab', () => {
  it('tells what to do before the first run', () => {
    mockFetch(segments)
    renderView(<FunnelsTab />)
    expect(screen.getByText('Build a funnel, then Run')).toBeInTheDocument()
    expect(screen.getAllByRole('group')).toHaveLength(4) // the default steps
  })

  it('runs the funnel and shows the steps with separators and one-decimal percentages', async () => {
    const calls = mockFetch({ ...segments, 'POST /v1/analytics/funnels': { body: result } })
    renderView(<FunnelsTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    const table = await screen.findByRole('region', { name: 'Funnel steps' })
    expect(within(table).getByText('12,345')).toBeInTheDocument()
    expect(within(table).getByText('16.2%', { selector: 'td:nth-child(4)' })).toBeInTheDocument()
    expect(within(table).getByText('10,345')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'POST')?.headers.Prefer).toBe('respond-async, wait=2')
  })

  it('shows the API’s field error next to the window input', async () => {
    mockFetch({
      ...segments,
      'POST /v1/analytics/funnels': apiError(400, 'bad_request', 'window must be a duration such as 7d or 12h', 'window'),
    })
    renderView(<FunnelsTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    const window = screen.getByLabelText('Window')
    await waitFor(() => expect(window).toHaveAttribute('aria-invalid', 'true'))
    expect(window).toHaveAccessibleDescription(/window must be a duration/)
    expect(screen.getByLabelText('Order')).not.toHaveAttribute('aria-invalid')
  })

  it('puts an error about a step, named only in the message, under that step', async () => {
    mockFetch({
      ...segments,
      'POST /v1/analytics/funnels': apiError(422, 'invalid', 'unknown event or property: no stored event has event "Checkout Startd" (step 3)'),
    })
    renderView(<FunnelsTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    const step3 = screen.getByRole('group', { name: 'Step 3' })
    const event = within(step3).getByLabelText('Event')
    await waitFor(() => expect(event).toHaveAttribute('aria-invalid', 'true'))
    expect(event).toHaveAccessibleDescription(/Checkout Startd/)
    expect(within(screen.getByRole('group', { name: 'Step 1' })).getByLabelText('Event')).not.toHaveAttribute('aria-invalid')
  })

  it('shows an error that concerns no field by the Run button', async () => {
    mockFetch({ ...segments, 'POST /v1/analytics/funnels': apiError(503, 'unavailable', '2 analyses are running already') })
    renderView(<FunnelsTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('2 analyses are running already')
  })

  it('downloads the CSV of the form with Accept: text/csv', async () => {
    const calls = mockFetch({ ...segments, 'POST /v1/analytics/funnels': { body: 'step,event' } })
    // jsdom has no object URLs: lend them for this test.
    const createObjectURL = vi.fn(() => 'blob:funnel')
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() })
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    try {
      renderView(<FunnelsTab />)
      await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }))
      await waitFor(() => expect(click).toHaveBeenCalled())
    } finally {
      Reflect.deleteProperty(URL, 'createObjectURL')
      Reflect.deleteProperty(URL, 'revokeObjectURL')
    }
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.headers.Accept).toBe('text/csv')
    expect(post?.body).toMatchObject({ window: '7d', order: 'strict' })
    expect(createObjectURL).toHaveBeenCalled()
  })

  it('saves the drop-off of a step as a segment', async () => {
    const calls = mockFetch({
      ...segments,
      'POST /v1/analytics/funnels': (_url, init) => {
        const body = JSON.parse(String(init.body)) as { save_dropoff?: unknown }
        return body.save_dropoff
          ? { body: { ...result, saved_segment: { id: 'seg_9', name: 'Browsed, never added', status: 'live' } } }
          : { body: result }
      },
    })
    renderView(<FunnelsTab />)
    await userEvent.click(screen.getByRole('button', { name: 'Run' }))
    await userEvent.click(await screen.findByRole('button', { name: 'Save drop-off before step 2 as segment' }))
    const name = screen.getByLabelText('Segment name')
    expect(name).toHaveValue('Dropped before Product Added')
    await userEvent.clear(name)
    await userEvent.type(name, 'Browsed, never added')
    await userEvent.click(screen.getByRole('button', { name: 'Save segment' }))
    expect(await screen.findByText(/Saved the segment “Browsed, never added”/)).toBeInTheDocument()
    const save = calls.filter((c) => c.method === 'POST').at(-1)
    expect(save?.body).toMatchObject({ save_dropoff: { step: 2, name: 'Browsed, never added' } })
  })
})
