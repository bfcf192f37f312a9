import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { mockFetch } from '../../test/fetchMock'
import { renderView } from '../../test/render'
import { Measurement } from '../Measurement'

function open(path: string) {
  return renderView(
    <Routes>
      <Route path="measurement/*" element={<Measurement />} />
    </Routes>,
    { path },
  )
}

const empty = {
  'GET /v1/segments': { body: { segments: [] } },
  'GET /v1/journeys': { body: { journeys: [] } },
}

describe('Measurement', () => {
  it('opens on Funnels and lists every analysis as a tab', () => {
    mockFetch(empty)
    open('/measurement')
    const tabs = screen.getByRole('navigation', { name: 'Analyses' })
    expect(within(tabs).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Funnels',
      'Paths',
      'Retention',
      'Attribution',
      'Lifetime value',
      'Lift',
      'Experiments & journeys',
      'Stages',
    ])
    expect(within(tabs).getByRole('link', { name: 'Funnels' })).toHaveAttribute('aria-current', 'page')
    expect(screen.getByRole('heading', { name: 'Funnel' })).toBeInTheDocument()
  })

  it.each([
    ['Paths', 'Pick an event, then Run'],
    ['Retention', 'Pick the events, then Run'],
    ['Attribution', 'Pick a conversion and the models, then Run'],
    ['Lifetime value', 'Fit the models, then Run'],
    ['Lift', 'Name the two arms, then Run'],
    ['Experiments & journeys', 'No journey yet'],
    ['Stages', 'Pick the response, then Run'],
  ])('%s says what to do first', async (tab, title) => {
    mockFetch(empty)
    open('/measurement/funnels')
    await userEvent.click(screen.getByRole('link', { name: tab }))
    expect(await screen.findByText(title)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: tab })).toHaveAttribute('aria-current', 'page')
  })
})
