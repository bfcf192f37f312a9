import { useEffect, useRef, useState } from 'react'
import { isAbort } from '../../api'
import { useApi } from '../../session'
import { previewSegment } from './segmentsApi'
import type { DefinitionForm, PreviewResult } from './types'

export interface Preview {
  /** waiting: an edit is being debounced; loading: the call runs. */
  status: 'idle' | 'waiting' | 'loading' | 'done' | 'error'
  result: PreviewResult | undefined
  /** The last call's error (an ApiError with its field), cleared by the next answer. */
  error: unknown
}

export const PREVIEW_DELAY_MS = 600

/**
 * Previews body (the size estimate and sample members) once it has not
 * changed for delay ms; a newer body cancels the call in flight. A null body
 * (nothing to preview yet) clears the result.
 */
export function usePreview(body: DefinitionForm | null, delay = PREVIEW_DELAY_MS): Preview {
  const api = useApi()
  const [state, setState] = useState<Preview>({ status: 'idle', result: undefined, error: undefined })
  const key = body ? JSON.stringify(body) : ''
  const bodyRef = useRef(body)
  bodyRef.current = body

  useEffect(() => {
    const b = bodyRef.current
    if (!b) {
      setState({ status: 'idle', result: undefined, error: undefined })
      return
    }
    setState((s) => ({ ...s, status: 'waiting' }))
    const ctl = new AbortController()
    const timer = window.setTimeout(() => {
      setState((s) => ({ ...s, status: 'loading' }))
      previewSegment(api, b, ctl.signal).then(
        (result) => {
          if (!ctl.signal.aborted) setState({ status: 'done', result, error: undefined })
        },
        (error: unknown) => {
          if (!ctl.signal.aborted && !isAbort(error)) setState((s) => ({ status: 'error', result: s.result, error }))
        },
      )
    }, delay)
    return () => {
      window.clearTimeout(timer)
      ctl.abort()
    }
  }, [api, key, delay])

  return state
}
