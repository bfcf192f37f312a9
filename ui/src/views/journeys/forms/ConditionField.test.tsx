import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { mockFetch } from '../../../test/fetchMock'
import { renderView } from '../../../test/render'
import { ConditionField } from './ConditionField'

describe('ConditionField', () => {
  it('shows the text form, turns text into the JSON the journey stores, and shows syntax errors', async () => {
    const calls = mockFetch({
      'POST /v1/segments/preview': (_, init) => {
        const body = JSON.parse(String(init.body)) as { text?: string; definition?: unknown }
        if (body.definition) return { body: { text: 'trait vip = true', definition: body.definition } }
        if (body.text === 'trait vip exits') {
          return { status: 400, body: { error: { code: 'bad_request', message: 'line 1, column 11: unknown operator "exits"', field: 'text' } } }
        }
        return { body: { text: body.text, definition: { trait: { path: 'plan', op: 'exists' } } } }
      },
    })
    const onChange = vi.fn()
    renderView(<ConditionField label="Condition" value={{ trait: { path: 'vip', op: 'equals', value: true } }} onChange={onChange} />)
    const field = screen.getByLabelText('Condition')
    await vi.waitFor(() => expect(field).toHaveValue('trait vip = true'))
    expect(calls[0]?.url.searchParams.get('sample')).toBe('1')

    await userEvent.clear(field)
    await userEvent.type(field, 'trait plan exists')
    await userEvent.click(screen.getByRole('button', { name: 'Use this condition' }))
    expect(onChange).toHaveBeenCalledWith({ trait: { path: 'plan', op: 'exists' } })

    await userEvent.clear(field)
    await userEvent.type(field, 'trait vip exits')
    await userEvent.click(screen.getByRole('button', { name: 'Use this condition' }))
    expect(await screen.findByText('line 1, column 11: unknown operator "exits"')).toBeInTheDocument()
    expect(field).toHaveAttribute('aria-invalid', 'true')

    await userEvent.click(screen.getByRole('button', { name: 'JSON' }))
    expect(screen.getByLabelText('Condition')).toHaveValue(JSON.stringify({ trait: { path: 'vip', op: 'equals', value: true } }, null, 2))
  })
})
