import { useCallback, useEffect, useRef, useState } from 'react'
import { isAbort, type AnalysisCall, type AnalysisJob } from '../../api'
import { useApi } from '../../session'

export type Phase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled'

export interface AnalysisState<T> {
  phase: Phase
  /** The last result (kept on screen while a new run goes). */
  result: T | undefined
  /** Why the last run failed (an ApiError with the server's field, usually). */
  error: unknown
  /** The background job while it runs, with its progress. */
  job: AnalysisJob | undefined
}

export interface Analysis<T> extends AnalysisState<T> {
  /** Runs call as a background job and resolves with its result (undefined when it failed or was cancelled). */
  run: (call: AnalysisCall) => Promise<T | undefined>
  /** Stops the running analysis: cancels its job on the server (DELETE). */
  cancel: () => Promise<void>
}

/** Delays between polls of a job: quick at first, so short analyses return quickly. */
export const POLL_MS = [100, 250, 500, 1000]

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t)
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs analyses as background jobs (Prefer: respond-async → 202): polls
 * GET /v1/analytics/jobs/{id} for the progress, fetches the result when it
 * ends, then forgets the finished job on the server. cancel() and unmounting
 * cancel a running job. A server that answers at once (200) is fine too.
 */
export function useAnalysis<T>(pollMs: number[] = POLL_MS): Analysis<T> {
  const api = useApi()
  const [state, setState] = useState<AnalysisState<T>>({ phase: 'idle', result: undefined, error: undefined, job: undefined })
  const ctl = useRef<AbortController>(undefined)
  const jobId = useRef<string>(undefined)

  const forget = useCallback(
    (id: string | undefined) => {
      if (id) api.cancelAnalysisJob(id).catch(() => {}) // best effort: the server keeps 64 jobs at most anyway
    },
    [api],
  )

  const run = useCallback(
    async (call: AnalysisCall): Promise<T | undefined> => {
      ctl.current?.abort()
      forget(jobId.current)
      jobId.current = undefined
      const c = new AbortController()
      ctl.current = c
      setState((s) => ({ ...s, phase: 'running', error: undefined, job: undefined }))
      try {
        const start = await api.startAnalysis<T>(call, c.signal)
        let result: T
        if (start.job) {
          let job = start.job
          jobId.current = job.id
          setState((s) => ({ ...s, job }))
          for (let i = 0; job.status === 'running'; i++) {
            await sleep(pollMs[Math.min(i, pollMs.length - 1)] ?? 1000, c.signal)
            job = await api.analysisJob(job.id, c.signal)
            const seen = job
            setState((s) => ({ ...s, job: seen }))
          }
          jobId.current = undefined
          if (job.status === 'cancelled') {
            setState((s) => ({ ...s, phase: 'cancelled', job: undefined }))
            return undefined
          }
          try {
            result = await api.analysisJobResult<T>(job.id, c.signal)
          } finally {
            forget(job.id)
          }
        } else {
          result = start.result
        }
        if (c.signal.aborted) return undefined
        setState({ phase: 'done', result, error: undefined, job: undefined })
        return result
      } catch (err) {
        if (c.signal.aborted || isAbort(err)) return undefined
        setState((s) => ({ ...s, phase: 'failed', error: err, job: undefined }))
        return undefined
      }
    },
    [api, forget, pollMs],
  )

  const cancel = useCallback(async () => {
    const id = jobId.current
    jobId.current = undefined
    ctl.current?.abort()
    setState((s) => ({ ...s, phase: 'cancelled', job: undefined }))
    if (id) {
      try {
        await api.cancelAnalysisJob(id)
      } catch (err) {
        setState((s) => ({ ...s, error: err }))
      }
    }
  }, [api])

  // Leaving the view stops its analysis: nobody would read the result.
  useEffect(
    () => () => {
      ctl.current?.abort()
      forget(jobId.current)
    },
    [forget],
  )

  return { ...state, run, cancel }
}
