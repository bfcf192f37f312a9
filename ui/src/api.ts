// The console's client for Cairn's management API (docs/api.md).
//
// The console authenticates with a session cookie (HttpOnly, set by
// POST /v1/console/session) rather than the Bearer admin token: every call is
// a same-origin fetch that sends the cookie, and every call that can change
// something (any method but GET/HEAD) carries the session's CSRF token in
// X-CSRF-Token. A 401 on any call means the session ended: listeners
// registered with onSessionEnded are told, and the app shows the sign-in view.

/** A console session: the CSRF token to echo and when the session ends. */
export interface Session {
  csrf: string
  expires_at: string
}

/** One problem of a journey definition (journey_invalid errors). */
export interface Problem {
  path?: string
  node?: string
  message: string
  hint?: string
}

/** The body of every API error: {"error":{"code","message","field"?}}. */
export interface ErrorBody {
  code: string
  message: string
  field?: string
  problems?: Problem[]
}

/** An API call that failed, with the server's stable code and message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field?: string
  readonly problems?: Problem[]

  constructor(status: number, body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    if (body.field !== undefined) this.field = body.field
    if (body.problems !== undefined) this.problems = body.problems
  }
}

/** GET /v1/stats */
export interface Stats {
  received: number
  stored: number
  duplicates: number
  rejected: number
  head: number
  processed: number
  profiles: number
  lag_events: number
  lag_seconds: number
}

export type JourneyStatus = 'draft' | 'live' | 'paused' | 'stopped'

/** One journey of GET /v1/journeys. */
export interface Journey {
  id: string
  name: string
  status: JourneyStatus | string
  live_version?: number
  created_at: string
  updated_at: string
}

/** The headline numbers of GET /v1/journeys/{id}/stats (the per-node detail is left out). */
export interface JourneyStats {
  journey_id: string
  status: string
  live_version: number
  entered: number
  goals: number
  exited: Record<string, number>
}

/** One segment of GET /v1/segments ("live", or "defined" when it has no members). */
export interface Segment {
  id: string
  name: string
  description?: string
  version: number
  text: string
  created_at: string
  updated_at: string
  status: 'live' | 'defined' | 'backfilling' | string
}

/** One event dropped at ingest or by the processor (GET /v1/rejections). */
export interface Rejection {
  id: number
  source_id: string
  message_id?: string
  reason: string
  detail: string
  field?: string
  excerpt: string
  received_at: string
}

export interface WriteKey {
  key: string
  source_id: string
  created_at: string
  revoked_at?: string
}

/** GET /v1/sources */
export interface Source {
  id: string
  name: string
  channel: string
  party: string
  created_at: string
  write_keys?: WriteKey[]
  link_anonymous?: boolean
}

/** The body of POST /v1/sources (party defaults to "first" on the server). */
export interface NewSource {
  name: string
  channel: string
  party: string
  link_anonymous?: boolean
}

/** What the live debugger stream (GET /v1/debugger/events) sends for an accepted or duplicate event. */
export interface DebuggerAccepted {
  kind: 'accepted' | 'duplicate'
  source_id: string
  source_name: string
  channel?: string
  received_at: string
  message_id?: string
  type?: string
  event?: string
  user_id?: string
  anonymous_id?: string
  /** The event's JSON object, or (over 8 KiB) a string excerpt with truncated set. */
  payload?: unknown
  truncated?: boolean
}

/** What the live debugger stream sends for an event that failed validation. */
export interface DebuggerRejected {
  kind: 'rejected'
  source_id: string
  source_name: string
  received_at: string
  message_id?: string
  reason: string
  field?: string
  detail?: string
  excerpt?: string
}

export type DebuggerEvent = DebuggerAccepted | DebuggerRejected

/** One row of GET /v1/profiles (no traits or identifiers). */
export interface ProfileSummary {
  id: string
  /** What a person recognises the customer by, when known (the list answers these). */
  name?: string
  email?: string
  user_id?: string
  merged_into?: string
  first_seen: string
  last_seen: string
  event_count: number
  sources: string[]
  channels: string[]
}

export interface Identity {
  type: string
  value: string
  first_seen: string
  last_seen: string
}

/** Provenance of one trait leaf, keyed by its dotted path in trait_meta. */
export interface TraitMeta {
  time: string
  source_id: string
  computed?: boolean
}

export interface AccountMembership {
  profile_id: string
  group_id: string
  since: string
}

/** GET /v1/profiles/{ref}: the 360° profile. traits is the nested object. */
export interface Profile {
  id: string
  traits: Record<string, unknown>
  trait_meta: Record<string, TraitMeta>
  identities: Identity[]
  sources: string[]
  channels: string[]
  accounts: AccountMembership[]
  first_seen: string
  last_seen: string
  event_count: number
  merged_from: string[]
}

/** One event of a profile's timeline, newest first. */
export interface TimelineEvent {
  seq: number
  type: string
  event?: string
  timestamp: string
  source_id: string
  channel: string
  payload?: unknown
}

export interface Timeline {
  profile_id: string
  events: TimelineEvent[]
  /** Pass back as cursor for the next (older) page; empty at the end. */
  next_cursor: string
}

export interface SegmentMembership {
  segment_id: string
  /** The segment's name (its id when it has none). */
  name: string
  profile_id: string
  version: number
  since: string
}

export interface JourneyInstance {
  id: string
  journey_id: string
  /** The journey's name (its id when it has none). */
  journey_name: string
  version: number
  profile_id: string
  node: string
  status: string
  entered_at: string
  updated_at: string
  exited_at?: string
  exit_reason?: string
}

export interface ProfileList {
  profiles: ProfileSummary[]
  next_cursor: string
}

export interface TimelineQuery {
  type?: string
  event?: string
  limit?: number
  cursor?: string
}

type Query = Record<string, string | number | undefined>

/** An analysis to run: one of the /v1/analytics routes with its query or body. */
export interface AnalysisCall {
  method: 'GET' | 'POST'
  path: string
  query?: Query
  body?: unknown
}

/** A background analysis (GET /v1/analytics/jobs/{id}). */
export interface AnalysisJob {
  id: string
  method: string
  path: string
  status: 'running' | 'succeeded' | 'failed' | 'cancelled' | string
  /** fraction stays below 1 until the job ends. */
  progress: { profiles_read: number; profiles_total: number; fraction: number }
  created_at: string
  finished_at?: string
  http_status?: number
  result_url?: string
}

/** What an analysis route answered: its result (200) or the job computing it (202). */
export type AnalysisStart<T> = { result: T; job?: undefined } | { job: AnalysisJob; result?: undefined }

/** A journey with its live definition (GET /v1/journeys/{id}); the nodes are kept loose. */
export interface JourneyDetail extends Journey {
  live?: { nodes?: Array<{ id: string; name?: string; [kind: string]: unknown }> }
  unpublished_changes: boolean
}

/** A CSV download: the file and the name the server gave it. */
export interface CsvFile {
  blob: Blob
  filename: string
}

export interface RequestOptions {
  method?: string
  body?: unknown
  query?: Query
  signal?: AbortSignal
  /**
   * When false, a 401 is only an error for the caller (a wrong token at
   * sign-in, the session check on load) and does not end the session.
   */
  endsSession?: boolean
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/** Turns a path and query into a URL, leaving out empty values. */
export function buildPath(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** Encodes a profile reference (type:value or id) as one path segment. */
export function refPath(ref: string): string {
  return `/v1/profiles/${encodeURIComponent(ref)}`
}

export class ApiClient {
  private csrf = ''
  private readonly listeners = new Set<() => void>()

  constructor(private readonly base = '') {}

  /** Calls fn whenever a call answers 401; returns the unsubscribe function. */
  onSessionEnded(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** The CSRF token of the current session ('' when signed out). */
  get csrfToken(): string {
    return this.csrf
  }

  async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.respond(path, opts)
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  /**
   * Sends a request and answers the Response itself (any 2xx, body unread),
   * with extra headers: request reads it as JSON; background analyses
   * (Prefer: respond-async, 202) and CSV downloads (Accept: text/csv) use it
   * directly. A 401 ends the session (unless endsSession is false); other
   * failures are ApiErrors.
   */
  async respond(path: string, opts: RequestOptions = {}, extra: Record<string, string> = {}): Promise<Response> {
    const method = (opts.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { Accept: 'application/json', ...extra }
    const init: RequestInit = { method, headers, credentials: 'same-origin' }
    if (opts.signal) init.signal = opts.signal
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(opts.body)
    }
    if (!SAFE_METHODS.has(method) && this.csrf) headers['X-CSRF-Token'] = this.csrf
    let res: Response
    try {
      res = await fetch(this.base + buildPath(path, opts.query), init)
    } catch (err) {
      if (isAbort(err)) throw err
      throw new ApiError(0, {
        code: 'network',
        message: 'Cannot reach the Cairn server. Check that `cairn serve` is running, then try again.',
      })
    }
    if (res.status === 401 && opts.endsSession !== false) {
      this.csrf = ''
      for (const fn of [...this.listeners]) fn()
    }
    if (!res.ok) throw new ApiError(res.status, await errorBody(res))
    return res
  }

  // --- analytics ------------------------------------------------------------

  /** Starts an analysis as a background job; a server that answers at once gives the result. */
  async startAnalysis<T>(call: AnalysisCall, signal?: AbortSignal): Promise<AnalysisStart<T>> {
    const { method, path, query, body } = call
    // wait=2: an analysis done within 2 s answers at once (RFC 7240); longer ones become a job to poll.
    const res = await this.respond(path, { method, query, body, signal }, { Prefer: 'respond-async, wait=2' })
    const data = (await res.json()) as unknown
    return res.status === 202 ? { job: data as AnalysisJob } : { result: data as T }
  }

  analysisJob(id: string, signal?: AbortSignal): Promise<AnalysisJob> {
    return this.request(`/v1/analytics/jobs/${encodeURIComponent(id)}`, { signal })
  }

  /** What the job's route answered: the result, or its error as an ApiError. */
  analysisJobResult<T>(id: string, signal?: AbortSignal): Promise<T> {
    return this.request(`/v1/analytics/jobs/${encodeURIComponent(id)}/result`, { signal })
  }

  /** Cancels a running job, or forgets a finished one. */
  cancelAnalysisJob(id: string): Promise<void> {
    return this.request(`/v1/analytics/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' })
  }

  /** The analysis as CSV (Accept: text/csv), named as the server's Content-Disposition says. */
  async analysisCsv(call: AnalysisCall, signal?: AbortSignal): Promise<CsvFile> {
    const { method, path, query, body } = call
    const res = await this.respond(path, { method, query, body, signal }, { Accept: 'text/csv' })
    const named = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') ?? '')
    return { blob: await res.blob(), filename: named?.[1] ?? `${path.split('/').pop() || 'analysis'}.csv` }
  }

  journey(id: string, signal?: AbortSignal): Promise<JourneyDetail> {
    return this.request(`/v1/journeys/${encodeURIComponent(id)}`, { signal })
  }

  // --- session -----------------------------------------------------------

  /** The current session, or null when the cookie is missing or expired. */
  async getSession(signal?: AbortSignal): Promise<Session | null> {
    try {
      const s = await this.request<Session>('/v1/console/session', { signal, endsSession: false })
      this.csrf = s.csrf
      return s
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.csrf = ''
        return null
      }
      throw err
    }
  }

  /** Exchanges the admin token for a session cookie; a wrong token is an ApiError (401). */
  async signIn(token: string): Promise<Session> {
    const s = await this.request<Session>('/v1/console/session', {
      method: 'POST',
      body: { token },
      endsSession: false,
    })
    this.csrf = s.csrf
    return s
  }

  async signOut(): Promise<void> {
    try {
      await this.request<void>('/v1/console/session', { method: 'DELETE', endsSession: false })
    } catch (err) {
      // Already signed out on the server: the goal is reached.
      if (!(err instanceof ApiError && err.status === 401)) throw err
    }
    this.csrf = ''
  }

  // --- reads ---------------------------------------------------------------

  stats(signal?: AbortSignal): Promise<Stats> {
    return this.request('/v1/stats', { signal })
  }

  async journeys(signal?: AbortSignal): Promise<Journey[]> {
    return (await this.request<{ journeys: Journey[] }>('/v1/journeys', { signal })).journeys
  }

  journeyStats(id: string, signal?: AbortSignal): Promise<JourneyStats> {
    return this.request(`/v1/journeys/${encodeURIComponent(id)}/stats`, { signal })
  }

  async segments(signal?: AbortSignal): Promise<Segment[]> {
    return (await this.request<{ segments: Segment[] }>('/v1/segments', { signal })).segments
  }

  async rejections(limit: number, signal?: AbortSignal): Promise<Rejection[]> {
    const q = { limit }
    return (await this.request<{ rejections: Rejection[] }>('/v1/rejections', { query: q, signal })).rejections
  }

  async sources(signal?: AbortSignal): Promise<Source[]> {
    return (await this.request<{ sources: Source[] }>('/v1/sources', { signal })).sources
  }

  /** Profiles by id; with trait, only those whose trait at trait.path equals trait.value (a number, true/false or text). */
  profiles(
    q: { limit?: number; cursor?: string; trait?: { path: string; value: string } },
    signal?: AbortSignal,
  ): Promise<ProfileList> {
    const { trait, ...rest } = q
    const query: Record<string, string | number | undefined> = { ...rest }
    if (trait) query[`trait.${trait.path}`] = trait.value
    return this.request('/v1/profiles', { query, signal })
  }

  profile(ref: string, signal?: AbortSignal): Promise<Profile> {
    return this.request(refPath(ref), { signal })
  }

  profileEvents(ref: string, q: TimelineQuery, signal?: AbortSignal): Promise<Timeline> {
    return this.request(`${refPath(ref)}/events`, { query: { ...q }, signal })
  }

  async profileSegments(ref: string, signal?: AbortSignal): Promise<SegmentMembership[]> {
    return (await this.request<{ segments: SegmentMembership[] }>(`${refPath(ref)}/segments`, { signal })).segments
  }

  async profileJourneys(ref: string, signal?: AbortSignal): Promise<JourneyInstance[]> {
    return (await this.request<{ instances: JourneyInstance[] }>(`${refPath(ref)}/journeys`, { signal })).instances
  }

  // --- sources and write keys ----------------------------------------------

  source(id: string, signal?: AbortSignal): Promise<Source> {
    return this.request(`/v1/sources/${encodeURIComponent(id)}`, { signal })
  }

  /** Creates a source; the answer holds its first write key. */
  createSource(body: NewSource): Promise<Source> {
    return this.request('/v1/sources', { method: 'POST', body })
  }

  /** Adds a write key to a source (rotation: add, switch the clients, revoke the old one). */
  addWriteKey(sourceId: string): Promise<WriteKey> {
    return this.request(`/v1/sources/${encodeURIComponent(sourceId)}/keys`, { method: 'POST' })
  }

  revokeWriteKey(sourceId: string, key: string): Promise<void> {
    return this.request(`/v1/sources/${encodeURIComponent(sourceId)}/keys/${encodeURIComponent(key)}`, {
      method: 'DELETE',
    })
  }

  /** The URL of the live debugger's Server-Sent Events stream: one source's events, or every source's. */
  debuggerEventsURL(sourceId?: string): string {
    return this.base + buildPath('/v1/debugger/events', { source: sourceId })
  }
}

/** Reads the error envelope, or describes a response that has none (a proxy's 502, say). */
async function errorBody(res: Response): Promise<ErrorBody> {
  const text = await res.text().catch(() => '')
  try {
    const parsed = JSON.parse(text) as { error?: Partial<ErrorBody> }
    if (parsed.error && typeof parsed.error.message === 'string') {
      const e = parsed.error
      const body: ErrorBody = { code: e.code ?? 'unknown', message: e.message ?? '' }
      if (e.field) body.field = e.field
      if (e.problems) body.problems = e.problems
      return body
    }
  } catch {
    // not JSON: fall through
  }
  const what = res.status >= 500 ? 'The server had a problem' : 'The server refused the request'
  return {
    code: res.status >= 500 ? 'internal' : 'unknown',
    message: `${what} (HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}). Try again in a moment.`,
  }
}

/** The client the app uses (one per page: it holds the session's CSRF token). */
export const api = new ApiClient()

/** Whether err is an aborted fetch (a view that went away), which is not worth showing. */
export function isAbort(err: unknown): boolean {
  // By name: the DOMException class differs between environments (jsdom, undici).
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError'
}

/** A message fit to show for any error. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}
