import { vi } from 'vitest'

export interface Reply {
  status?: number
  body?: unknown
}

/** A route handler: a fixed reply, or a function of the request. */
export type Handler = Reply | ((url: URL, init: RequestInit) => Reply)

export interface Call {
  method: string
  url: URL
  init: RequestInit
  headers: Record<string, string>
  body: unknown
}

/**
 * Stubs global fetch with routes keyed "METHOD /path" (the decoded path; the
 * query is not part of the key). Unknown routes answer 404 with the API's error envelope.
 * Returns the list of calls made, in order.
 */
export function mockFetch(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://console.test')
      const method = (init.method ?? 'GET').toUpperCase()
      const headers = { ...(init.headers as Record<string, string> | undefined) }
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
      calls.push({ method, url, init, headers, body })
      const path = decodeURIComponent(url.pathname)
      const h = routes[`${method} ${path}`]
      const reply: Reply = h === undefined
        ? { status: 404, body: { error: { code: 'not_found', message: `no route ${method} ${path}` } } }
        : typeof h === 'function'
          ? h(url, init)
          : h
      const status = reply.status ?? 200
      const text = reply.body === undefined ? null : JSON.stringify(reply.body)
      return new Response(status === 204 ? null : text, {
        status,
        headers: { 'Content-Type': 'application/json' },
      })
    }),
  )
  return calls
}

/** The error envelope of the API. */
export function apiError(status: number, code: string, message: string, field?: string): Reply {
  return { status, body: { error: field ? { code, message, field } : { code, message } } }
}
