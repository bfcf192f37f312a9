import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage, isAbort } from './api'

export interface Load<T> {
  data: T | undefined
  /** The message to show when the last load failed. */
  error: string | undefined
  loading: boolean
  reload: () => void
}

/**
 * Runs load when the component mounts and whenever deps change, cancelling the
 * previous request. With refreshMs, it reloads on that period while the page is
 * visible, keeping the data on screen meanwhile.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  refreshMs?: number,
): Load<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  useEffect(() => {
    const ctl = new AbortController()
    setLoading(true)
    loadRef.current(ctl.signal).then(
      (d) => {
        if (ctl.signal.aborted) return
        setData(d)
        setError(undefined)
        setLoading(false)
      },
      (err: unknown) => {
        if (ctl.signal.aborted || isAbort(err)) return
        setError(errorMessage(err))
        setLoading(false)
      },
    )
    return () => ctl.abort()
  }, [...deps, tick])

  useEffect(() => {
    if (!refreshMs) return
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1)
    }, refreshMs)
    return () => window.clearInterval(id)
  }, [refreshMs])

  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}
