import { fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState, type ReactElement } from 'react'
import { describe, expect, it } from 'vitest'
import type { Segment } from '../../../api'
import { BuilderProvider } from '../BuilderContext'
import { newNode } from '../kinds'
import type { SegNode } from '../types'
import { LeafForm } from './LeafForm'

/** Renders the form of start and returns a function reading its latest JSON. */
function edit(start: SegNode, segments: Segment[] = []): () => SegNode {
  let latest = start
  function Harness(): ReactElement {
    const [node, setNode] = useState(start)
    return (
      <BuilderProvider value={{ segments, sources: [], selfId: 'seg_self', error: undefined }}>
        <LeafForm
          node={node}
          onChange={(n) => {
            latest = n
            setNode(n)
          }}
        />
      </BuilderProvider>
    )
  }
  render(<Harness />)
  return () => latest
}

const seg = (id: string, name: string): Segment => ({ id, name, version: 1, text: 'everyone', created_at: '', updated_at: '', status: 'live' })

async function retype(label: string | HTMLElement, text: string) {
  const el = typeof label === 'string' ? screen.getByLabelText(label) : label
  await userEvent.clear(el)
  if (text) await userEvent.type(el, text)
}

describe('node forms', () => {
  it('trait: path, operator and value; a date operator takes a number and a unit', async () => {
    const json = edit(newNode('trait'))
    await retype('Trait', 'address.city')
    await retype('Value', 'Paris')
    expect(json()).toEqual({ trait: { path: 'address.city', op: 'equals', value: 'Paris' } })

    await userEvent.selectOptions(screen.getByLabelText('Operator'), 'in')
    await retype('Value', 'Paris, Lyon, 75')
    expect(json()).toEqual({ trait: { path: 'address.city', op: 'in', value: ['Paris', 'Lyon', 75] } })

    await retype('Trait', 'last_order_at')
    await userEvent.selectOptions(screen.getByLabelText('Operator'), 'within_last')
    await retype('Value', '2')
    await userEvent.selectOptions(screen.getByLabelText('Value unit'), 'w')
    expect(json()).toEqual({ trait: { path: 'last_order_at', op: 'within_last', value: '2w' } })

    await userEvent.selectOptions(screen.getByLabelText('Operator'), 'day_of_year')
    await retype('Time zone', 'Europe/Paris')
    expect(json()).toEqual({ trait: { path: 'last_order_at', op: 'day_of_year', tz: 'Europe/Paris' } })
  })

  it('performed: event, property filters, count and each form of window', async () => {
    const json = edit(newNode('performed'))
    await retype('Event', 'Order Completed')
    await userEvent.click(screen.getByRole('button', { name: 'Add filter' }))
    await retype('Filter 1 field', 'revenue')
    await userEvent.selectOptions(screen.getByLabelText('Filter 1 operator'), 'gt')
    await retype('Filter 1 value', '100')
    await userEvent.click(screen.getByRole('button', { name: 'Add filter' }))
    await retype('Filter 2 field', 'context.campaign.source')
    await retype('Filter 2 value', 'newsletter')
    await userEvent.selectOptions(screen.getByLabelText('How many times'), 'gte')
    await retype('Times', '2')
    expect(json()).toEqual({
      performed: {
        event: 'Order Completed',
        where: [
          { property: 'revenue', op: 'gt', value: 100 },
          { context: 'campaign.source', op: 'equals', value: 'newsletter' },
        ],
        count: { op: 'gte', value: 2 },
        window: { within: '30d' },
      },
    })

    await retype('In the last', '90')
    expect(json()).toMatchObject({ performed: { window: { within: '90d' } } })
    await userEvent.selectOptions(screen.getByLabelText('When'), 'relative')
    await retype('From (ago)', '30')
    await retype('To (ago)', '7')
    expect(json()).toMatchObject({ performed: { window: { from_ago: '30d', to_ago: '7d' } } })
    await userEvent.selectOptions(screen.getByLabelText('When'), 'absolute')
    fireEvent.change(screen.getByLabelText('On or after'), { target: { value: '2026-01-01' } })
    fireEvent.change(screen.getByLabelText('Before'), { target: { value: '2026-02-01' } })
    expect((json() as { performed: object }).performed).toMatchObject({ window: { after: '2026-01-01', before: '2026-02-01' } })

    await userEvent.selectOptions(screen.getByLabelText('When'), 'all')
    await userEvent.selectOptions(screen.getByLabelText('How many times'), '')
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter 1' }))
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter 1' }))
    expect(json()).toEqual({ performed: { event: 'Order Completed' } })
  })

  it('sequence: ordered steps, a negated one, reorder, and the span', async () => {
    const json = edit({ sequence: { steps: [{ event: 'Email Opened' }, { event: 'Product Viewed' }] } })
    await userEvent.click(screen.getByRole('button', { name: 'Add step' }))
    await retype('Step 3 event', 'Order Completed')
    await userEvent.click(screen.getByLabelText('Did not happen (step 3)'))
    expect(screen.queryByLabelText('Did not happen (step 1)')).toBeNull()
    const step2 = screen.getByRole('group', { name: 'Step 2' })
    await userEvent.click(within(step2).getByRole('button', { name: 'Add step 2 filter' }))
    await retype('Step 2 filter 1 field', 'sku')
    await retype('Step 2 filter 1 value', 'X')
    await userEvent.click(screen.getByLabelText('All within a time span'))
    await retype('Within', '7')
    expect(json()).toEqual({
      sequence: {
        steps: [
          { event: 'Email Opened' },
          { event: 'Product Viewed', where: [{ property: 'sku', op: 'equals', value: 'X' }] },
          { event: 'Order Completed', not: true },
        ],
        within: '7d',
      },
    })
    await userEvent.click(screen.getByRole('button', { name: 'Move step 2 up' }))
    expect((json() as { sequence: { steps: Array<{ event: string }> } }).sequence.steps.map((s) => s.event)).toEqual([
      'Product Viewed',
      'Email Opened',
      'Order Completed',
    ])
    await userEvent.click(screen.getByRole('button', { name: 'Remove step 3' }))
    expect(screen.getByRole('button', { name: 'Remove step 2' })).toBeDisabled()
  })

  it('aggregate: function, property, event, window and a comparison fitting the function', async () => {
    const json = edit(newNode('aggregate'))
    await retype('Result value', '500')
    await userEvent.selectOptions(screen.getByLabelText('When'), 'within')
    await retype('In the last', '365')
    expect(json()).toEqual({
      aggregate: { fn: 'sum', event: 'Order Completed', property: 'revenue', op: 'gte', value: 500, window: { within: '365d' } },
    })
    await userEvent.selectOptions(screen.getByLabelText('Function'), 'count')
    expect(screen.queryByLabelText('Property')).toBeNull()
    expect(json()).toEqual({ aggregate: { fn: 'count', event: 'Order Completed', op: 'gte', value: 500, window: { within: '365d' } } })
    await userEvent.selectOptions(screen.getByLabelText('Result operator'), 'between')
    await retype('Result value', '2')
    await retype('Result value (high)', '5')
    expect(json()).toMatchObject({ aggregate: { op: 'between', value: [2, 5] } })

    await userEvent.selectOptions(screen.getByLabelText('Function'), 'most_frequent')
    await retype('Property', 'category')
    await userEvent.selectOptions(screen.getByLabelText('Result operator'), 'equals')
    await retype('Result value', 'shoes')
    expect(json()).toMatchObject({ aggregate: { fn: 'most_frequent', property: 'category', op: 'equals', value: 'shoes' } })
    expect(screen.getByLabelText('Result operator')).toContainHTML('matches pattern')
  })

  it('in_segment: any, all or none of the segments ticked (not itself)', async () => {
    const json = edit({ in_segment: { match: 'any', ids: ['seg_gone'] } }, [seg('seg_vip', 'VIP'), seg('seg_self', 'Me'), seg('seg_loyal', 'Loyal')])
    expect(screen.queryByLabelText('Me')).toBeNull()
    await userEvent.click(screen.getByLabelText('VIP'))
    await userEvent.click(screen.getByLabelText('Loyal'))
    await userEvent.click(screen.getByRole('checkbox', { name: /seg_gone/ }))
    await userEvent.selectOptions(screen.getByLabelText('Membership'), 'none')
    expect(json()).toEqual({ in_segment: { match: 'none', ids: ['seg_vip', 'seg_loyal'] } })
  })

  it('random_bucket: percent and an optional salt', async () => {
    const json = edit(newNode('random_bucket'))
    await retype('Percent of profiles', '12.5')
    await retype('Salt (optional)', 'holdout-2026')
    expect(json()).toEqual({ random_bucket: { percent: 12.5, salt: 'holdout-2026' } })
    await retype('Salt (optional)', '')
    expect(json()).toEqual({ random_bucket: { percent: 12.5 } })
  })

  it('last_performed: has filters and the time test', async () => {
    const last = edit(newNode('last_performed'))
    await userEvent.click(screen.getByRole('button', { name: 'Add has filter' }))
    await retype('Has filter 1 field', 'coupon')
    await userEvent.selectOptions(screen.getByLabelText('Has filter 1 operator'), 'exists')
    expect(last()).toEqual({
      last_performed: { event: 'Order Completed', time: { op: 'before_last', value: '90d' }, has: [{ property: 'coupon', op: 'exists' }] },
    })
    await userEvent.click(screen.getByLabelText('Test when it happened'))
    expect(last()).toEqual({ last_performed: { event: 'Order Completed', has: [{ property: 'coupon', op: 'exists' }] } })
  })

  it('channel: the ticked channels (none: any) and a window', async () => {
    const channel = edit(newNode('channel'))
    await userEvent.click(screen.getByLabelText('Store (point of sale)'))
    await userEvent.click(screen.getByLabelText('Call center'))
    await userEvent.click(screen.getByLabelText('Store (point of sale)'))
    expect(channel()).toEqual({ channel: { channels: ['call_center'], window: { within: '90d' } } })
    await userEvent.click(screen.getByLabelText('Call center'))
    expect(channel()).toEqual({ channel: { window: { within: '90d' } } })
  })

  it('subscription: group and state', async () => {
    const sub = edit(newNode('subscription'))
    await retype('Subscription group', 'offers')
    await userEvent.selectOptions(screen.getByLabelText('State'), 'unsubscribed')
    expect(sub()).toEqual({ subscription: { group: 'offers', state: 'unsubscribed' } })
  })

  it('message: event, optional channel and template, count', async () => {
    const msg = edit(newNode('message'))
    await userEvent.selectOptions(screen.getByLabelText('Message was'), 'clicked')
    await retype('Channel (optional)', 'email')
    await retype('Template (optional)', 'welcome')
    await userEvent.selectOptions(screen.getByLabelText('How many times'), 'equals')
    await retype('Times', '0')
    expect(msg()).toEqual({
      message: { event: 'clicked', channel: 'email', template: 'welcome', count: { op: 'equals', value: 0 }, window: { within: '30d' } },
    })
  })
})
