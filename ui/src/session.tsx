import { createContext, useContext } from 'react'
import { api, type ApiClient } from './api'
import type { Role } from './nav'

/** What the views need from the app: the API client and who is signed in. */
export interface ConsoleContext {
  api: ApiClient
  role: Role
  signOut: () => Promise<void>
}

const Ctx = createContext<ConsoleContext>({ api, role: 'admin', signOut: async () => {} })

export const ConsoleProvider = Ctx.Provider

export function useConsole(): ConsoleContext {
  return useContext(Ctx)
}

/** The API client of the app (a test can provide its own). */
export function useApi(): ApiClient {
  return useContext(Ctx).api
}
