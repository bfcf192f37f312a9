import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, type Handler } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Segments } from '../Segments'
import { buyers, preview, vipRef } from './testData'

function open(path: string, routes: Record<string, Handler>) {
  const calls = mockFetch({
    'GET /v1/segments': { body: { segments: [vipRef, buyers] } },
    'GET /v1/sources': { body: { sources: [] } },
    'POST /v1/segments/preview': { body: preview },
    ...routes,
  })
  renderView(
    <Routes>
      <Route path="segments/*" element={<Segments />} />
      <Route path="profiles/:ref" element={<p>profile page</p>} />
    </Routes>,
    { path },
  )
  return calls
}

const previews = (calls: ReturnType<typeof mockFetch>) => calls.filter((c) => c.url.pathname === '/v1/segments/preview')
const slow = { timeout: 2500 }

describe('segment builder', () => {
  it('builds a definition, shows its text, size estimate and sample, and saves it as JSON', async () => {
    const calls = open('/segments/new', {
      'POST /v1/segments': { status: 201, body: { ...buyers, id: 'seg_new', name: 'Buyers' } },
      'GET /v1/segments/seg_new': { body: { ...buyers, id: 'seg_new', name: 'Buyers' } },
    })
    expect(await screen.findByRole('heading', { name: 'New segment' })).toBeInTheDocument()
    expect(screen.getByText('Add a condition to see how many profiles match.')).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Add condition' }))
    const cond = screen.getByRole('group', { name: 'Condition 1: Did an event' })
    expect(within(cond).getByLabelText('Kind of condition 1')).toHaveFocus()
    await userEvent.selectOptions(screen.getByLabelText('New condition'), 'trait')
    await userEvent.click(screen.getByRole('button', { name: 'Add condition' }))
    await userEvent.type(within(screen.getByRole('group', { name: 'Condition 2: Has a trait' })).getByLabelText('Trait'), 'plan')
    await userEvent.click(screen.getByRole('button', { name: 'Negate condition 2' }))

    expect(screen.getByLabelText('Definition as text')).toHaveTextContent('performed "Order Completed" within 30d and not trait plan = ""')
    await waitFor(() => expect(screen.getByText('≈ 600')).toBeInTheDocument(), slow)
    expect(screen.getByText(/120 of 1,000 sampled profiles match/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'p_1' })).toHaveAttribute('href', '/profiles/p_1')
    const sent = previews(calls)
    expect(sent.at(-1)?.body).toEqual({
      definition: {
        and: [
          { performed: { event: 'Order Completed', window: { within: '30d' } } },
          { not: { trait: { path: 'plan', op: 'equals', value: '' } } },
        ],
      },
    })

    await userEvent.click(screen.getByRole('button', { name: 'Save segment' }))
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/Give the segment a name/)
    await userEvent.type(screen.getByLabelText('Name'), 'Buyers')
    await userEvent.type(screen.getByLabelText('Description (optional)'), 'not free')
    await userEvent.click(screen.getByRole('button', { name: 'Save segment' }))
    expect(await screen.findByRole('heading', { name: 'Buyers' })).toBeInTheDocument()
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/v1/segments')
    expect(post?.body).toEqual({ name: 'Buyers', description: 'not free', definition: (sent.at(-1)?.body as { definition: unknown }).definition })
  })

  it('edits the tree from the keyboard: reorder, nest, un-negate and remove', async () => {
    open('/segments/seg_buyers/edit', {
      'GET /v1/segments/seg_buyers': {
        body: { ...buyers, definition: { and: [{ everyone: true }, { not: { random_bucket: { percent: 5 } } }] } },
      },
    })
    await screen.findByRole('heading', { name: 'Edit Recent buyers' })
    const text = () => screen.getByLabelText('Definition as text').textContent
    expect(text()).toBe('everyone and not random_bucket 5')

    await userEvent.click(screen.getByRole('button', { name: 'Move condition 1 down' }))
    expect(text()).toBe('not random_bucket 5 and everyone')
    expect(screen.getByLabelText('Kind of condition 2')).toHaveFocus()
    await userEvent.click(screen.getByRole('button', { name: 'Remove the not from not 1' }))
    expect(text()).toBe('random_bucket 5 and everyone')
    await userEvent.click(screen.getByRole('button', { name: 'Put condition 2 in a group' }))
    const group = screen.getByRole('group', { name: 'Group 2' })
    await userEvent.click(within(group).getByRole('button', { name: 'Add condition' }))
    expect(text()).toBe('random_bucket 5 and (everyone or performed "Order Completed" within 30d)')
    await userEvent.click(screen.getByRole('button', { name: 'Remove condition 1' }))
    expect(text()).toBe('everyone or performed "Order Completed" within 30d')
    await userEvent.selectOptions(screen.getByLabelText('How the members of group 1 combine'), 'and')
    expect(text()).toBe('everyone and performed "Order Completed" within 30d')
  })

  it('shows a validation error on the condition that caused it, and others at the top', async () => {
    let saved = 0
    const calls = open('/segments/seg_buyers/edit', {
      'GET /v1/segments/seg_buyers': { body: buyers },
      'POST /v1/segments/preview': apiError(400, 'bad_request', 'duration "0d" must be positive', 'definition.and[0].performed.window.within'),
      'PUT /v1/segments/seg_buyers': () => {
        saved++
        return saved === 1
          ? apiError(409, 'conflict', 'a segment named "VIP" already exists; pick another name')
          : apiError(500, 'internal', 'The server had a problem.')
      },
    })
    const cond = await screen.findByRole('group', { name: 'Condition 1: Did an event' })
    const alert = await within(cond).findByRole('alert', {}, slow)
    expect(alert).toHaveTextContent('Time window · Within: duration "0d" must be positive')
    expect(screen.getByText('Fix what is marked in the conditions to see the size.')).toBeInTheDocument()

    await userEvent.clear(screen.getByLabelText('Name'))
    await userEvent.type(screen.getByLabelText('Name'), 'VIP')
    await userEvent.click(screen.getByRole('button', { name: 'Save new version' }))
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/already exists/))
    expect(saved).toBe(1)
    await userEvent.click(screen.getByRole('button', { name: 'Save new version' }))
    const form = screen.getByRole('form', { name: 'Edit Recent buyers' })
    await waitFor(() => expect(within(form).getAllByRole('alert').map((a) => a.textContent)).toContain('The server had a problem.'))
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.body).toEqual({ name: 'VIP', description: 'Bought in the last 30 days', definition: { and: [buyers.definition] } })
  })

  it('edits as text: previews and saves the text, and reads it back into the builder', async () => {
    const calls = open('/segments/new', {
      'POST /v1/segments': apiError(400, 'bad_request', 'line 1, column 11: expected a value', 'text'),
    })
    await screen.findByRole('heading', { name: 'New segment' })
    await userEvent.click(screen.getByRole('button', { name: 'Edit as text' }))
    const box = screen.getByLabelText('Definition as text')
    await userEvent.type(box, 'in_segment any [["seg_vip"] or trait plan = ')
    await waitFor(() => expect(previews(calls).at(-1)?.body).toEqual({ text: 'in_segment any ["seg_vip"] or trait plan = ' }), slow)

    await userEvent.type(screen.getByLabelText('Name'), 'Text one')
    await userEvent.click(screen.getByRole('button', { name: 'Save segment' }))
    await waitFor(() => expect(screen.getByLabelText('Definition as text')).toHaveAccessibleDescription(/column 11: expected a value/))
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/v1/segments')
    expect(post?.body).toEqual({ name: 'Text one', description: '', text: 'in_segment any ["seg_vip"] or trait plan = ' })

    // A syntax error keeps the text; fixed, it goes back into the builder.
    await userEvent.click(screen.getByRole('button', { name: 'Back to the builder' }))
    expect(screen.getByLabelText('Definition as text')).toHaveAccessibleDescription(/Fix it to go back to the builder/)
    await userEvent.type(screen.getByLabelText('Definition as text'), '"pro"')
    await userEvent.click(screen.getByRole('button', { name: 'Back to the builder' }))
    expect(screen.getByLabelText('How the members of conditions combine')).toHaveValue('or')
    expect(screen.getByLabelText('VIP')).toBeChecked()
    expect(within(screen.getByRole('group', { name: 'Condition 2: Has a trait' })).getByLabelText('Value')).toHaveValue('pro')
  })
})
