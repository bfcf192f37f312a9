import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { renderView } from '../../test/render'
import { DebuggerPanel } from './DebuggerPanel'
import { FakeEventSource } from './fakeEventSource'
import { MAX_ROWS } from './feed'

function accepted(n: number, extra: Record<string, unknown> = {}) {
  return {
    kind: 'accepted',
    source_id: 'src_web',
    source_name: 'nto-web',
    channel: 'web',
    received_at: '2026-10-01T10:00:00Z',
    message_id: `m-${n}`,
    type: 'track',
    event: `Event ${n}`,
    user_id: 'u-1',
    payload: { type: 'track', event: `Event ${n}`, userId: 'u-1', properties: { n } },
    ...extra,
  }
}

const rejected = {
  kind: 'rejected',
  source_id: 'src_web',
  source_name: 'nto-web',
  received_at: '2026-10-01T10:00:01Z',
  message_id: 'm-bad',
  reason: 'missing_identifier',
  field: 'batch[0].userId',
  detail: 'the event has neither userId nor anonymousId; set one of them',
  excerpt: '{"type":"track","event":"Oops"}',
}

function renderPanel(sourceId?: string) {
  renderView(
    <DebuggerPanel sourceId={sourceId} hint={<p>Send one with the curl snippet.</p>} eventSource={FakeEventSource} />,
  )
  const es = FakeEventSource.last
  act(() => es.open())
  return es
}

function rows() {
  const table = screen.getByRole('table')
  return within(table).getAllByRole('row').slice(1)
}

beforeEach(() => {
  FakeEventSource.instances = []
})

describe('DebuggerPanel', () => {
  it('subscribes to one source and waits for a first event', () => {
    renderView(<DebuggerPanel sourceId="src_web" hint={<p>Send one with the curl snippet.</p>} eventSource={FakeEventSource} />)
    expect(FakeEventSource.last.url).toBe('/v1/debugger/events?source=src_web')
    expect(screen.getByText('Connecting…')).toBeInTheDocument()
    act(() => FakeEventSource.last.open())
    expect(screen.getByText('Live')).toBeInTheDocument()
    expect(screen.getByText('Waiting for events…')).toBeInTheDocument()
    expect(screen.getByText('Send one with the curl snippet.')).toBeInTheDocument()
  })

  it('listens to every source without a source parameter, and names the source on each row', () => {
    const es = renderPanel()
    expect(es.url).toBe('/v1/debugger/events')
    act(() => es.emit('accepted', accepted(1)))
    expect(screen.getByRole('columnheader', { name: 'Source' })).toBeInTheDocument()
    expect(rows()[0]).toHaveTextContent('nto-web')
  })

  it('shows an accepted event, newest first, with its payload on demand', async () => {
    const es = renderPanel('src_web')
    act(() => es.emit('accepted', accepted(1)))
    act(() => es.emit('duplicate', accepted(2, { kind: 'duplicate' })))
    const [first, second] = rows()
    expect(first).toHaveTextContent('duplicate')
    expect(first).toHaveTextContent('Event 2')
    expect(second).toHaveTextContent('accepted')
    expect(second).toHaveTextContent('Event 1')
    expect(second).toHaveTextContent('userId u-1')
    expect(screen.queryByRole('columnheader', { name: 'Source' })).not.toBeInTheDocument()

    await userEvent.click(within(second!).getByText('Payload'))
    const pre = second!.querySelector('pre')
    expect(pre?.textContent).toBe(JSON.stringify(accepted(1).payload, null, 2))
  })

  it('highlights a rejected event with the reason in words, the detail and the field', () => {
    const es = renderPanel('src_web')
    act(() => es.emit('accepted', accepted(1)))
    act(() => es.emit('rejected', rejected))
    const row = rows()[0]!
    expect(row).toHaveClass('dbg-row-rejected')
    expect(within(row).getByText('rejected')).toHaveClass('dbg-badge-rejected')
    expect(row).toHaveTextContent('Neither a userId nor an anonymousId')
    expect(row).toHaveTextContent('missing_identifier')
    expect(row).toHaveTextContent('the event has neither userId nor anonymousId; set one of them')
    expect(within(row).getByText('batch[0].userId')).toBeInTheDocument()
    expect(rows()[1]).not.toHaveClass('dbg-row-rejected')
  })

  it('says how many events the server skipped when the page fell behind', () => {
    const es = renderPanel()
    act(() => es.emit('dropped', { count: 12 }))
    act(() => es.emit('dropped', { count: 3 }))
    expect(screen.getByText(/15 events skipped because this page fell behind/)).toBeInTheDocument()
  })

  it('keeps new events out while paused and shows them again after resume', async () => {
    const es = renderPanel()
    act(() => es.emit('accepted', accepted(1)))
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }))
    act(() => es.emit('accepted', accepted(2)))
    act(() => es.emit('rejected', rejected))
    expect(rows()).toHaveLength(1)
    expect(screen.getByText(/Paused: 2 new events not shown/)).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Resume' }))
    expect(screen.queryByText(/Paused/)).not.toBeInTheDocument()
    act(() => es.emit('accepted', accepted(3)))
    expect(rows()).toHaveLength(2)
    expect(rows()[0]).toHaveTextContent('Event 3')
  })

  it(`keeps only the newest ${MAX_ROWS} events`, () => {
    const es = renderPanel()
    act(() => {
      for (let i = 1; i <= MAX_ROWS + 5; i++) es.emit('accepted', accepted(i))
    })
    const all = rows()
    expect(all).toHaveLength(MAX_ROWS)
    expect(all[0]).toHaveTextContent(`Event ${MAX_ROWS + 5}`)
    expect(all.at(-1)).toHaveTextContent('Event 6')
  })

  it('filters by result and by type or event name, and clears', async () => {
    const es = renderPanel()
    act(() => es.emit('accepted', accepted(1, { type: 'identify', event: undefined })))
    act(() => es.emit('accepted', accepted(2, { event: 'Order Completed' })))
    act(() => es.emit('rejected', rejected))

    await userEvent.type(screen.getByLabelText('Type or event name'), 'order')
    expect(rows()).toHaveLength(1)
    expect(rows()[0]).toHaveTextContent('Order Completed')
    expect(screen.getByText(/Showing 1 event of 3/)).toBeInTheDocument()

    await userEvent.clear(screen.getByLabelText('Type or event name'))
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'rejected')
    expect(rows()).toHaveLength(1)
    expect(rows()[0]).toHaveClass('dbg-row-rejected')

    await userEvent.type(screen.getByLabelText('Type or event name'), 'nothing like it')
    expect(screen.getByText('No event matches the filter')).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }))
    expect(screen.getByText('Waiting for events…')).toBeInTheDocument()
  })

  it('ignores data that is not what the server promises', () => {
    const es = renderPanel()
    act(() => es.emit('accepted', 'not json'))
    act(() => es.emit('accepted', { kind: 'accepted' }))
    act(() => es.emit('dropped', { count: 'many' }))
    expect(screen.getByText('Waiting for events…')).toBeInTheDocument()
    expect(screen.queryByText(/skipped/)).not.toBeInTheDocument()
  })

  it('shows a truncated payload as the excerpt it is', async () => {
    const es = renderPanel()
    act(() => es.emit('accepted', accepted(1, { payload: '{"type":"track","properties":{"big":"aaaa', truncated: true })))
    await userEvent.click(screen.getByText('Payload'))
    expect(screen.getByText(/Over 8 KiB/)).toBeInTheDocument()
    expect(rows()[0]!.querySelector('pre')?.textContent).toBe('{"type":"track","properties":{"big":"aaaa')
  })

  it('reports reconnecting, and offers to reconnect when the browser gave up', async () => {
    const es = renderPanel()
    act(() => es.fail())
    expect(screen.getByText('Reconnecting…')).toBeInTheDocument()
    act(() => es.fail(true))
    expect(screen.getByText('Disconnected')).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent('The live stream closed')
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(FakeEventSource.instances).toHaveLength(2)
    act(() => FakeEventSource.last.open())
    expect(screen.getByText('Live')).toBeInTheDocument()
  })
})
