import { render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'react-router'
import { ApiClient } from '../api'
import { ConsoleProvider } from '../session'

/** Renders ui inside a router and the console context, with a fresh API client. */
export function renderView(ui: ReactElement, { path = '/', api = new ApiClient() } = {}): RenderResult & { api: ApiClient } {
  const result = render(
    <MemoryRouter initialEntries={[path]}>
      <ConsoleProvider value={{ api, role: 'admin', signOut: async () => {} }}>{ui}</ConsoleProvider>
    </MemoryRouter>,
  )
  return { ...result, api }
}
