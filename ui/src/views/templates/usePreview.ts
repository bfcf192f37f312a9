import { useEffect, useState } from 'react'
import { errorMessage, isAbort, type ApiClient } from '../../api'
import { errorFields, previewDraft, previewSaved, type FieldErrors, type Rendered, type Template } from './templatesApi'

export const PREVIEW_DELAY_MS = 600

export interface PreviewState {
  rendered: Rendered | undefined
  /** The profile the server rendered for ('' for none). */
  profileId: string
  /** Render errors by part (subject, html, …). */
  partErrors: FieldErrors
  /** An error that names no part (an unknown profile, the server down). */
  error: string | undefined
  loading: boolean
}

/**
 * Renders the template for a profile, 600 ms after the last change: the
 * unsaved draft through POST /v1/templates/preview, or the saved template
 * (savedId, when the draft has no changes) through POST /v1/templates/{id}/preview.
 */
export function usePreview(api: ApiClient, draft: Template, profile: string, savedId?: string): PreviewState {
  const [state, setState] = useState<PreviewState>({ rendered: undefined, profileId: '', partErrors: {}, error: undefined, loading: false })
  const key = JSON.stringify([draft, profile, savedId ?? ''])

  useEffect(() => {
    const ctl = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    const timer = setTimeout(() => {
      const call = savedId ? previewSaved(api, savedId, profile, ctl.signal) : previewDraft(api, draft, profile, ctl.signal)
      call.then(
        (a) => {
          if (!ctl.signal.aborted) setState({ rendered: a.preview, profileId: a.profile_id, partErrors: {}, error: undefined, loading: false })
        },
        (err: unknown) => {
          if (ctl.signal.aborted || isAbort(err)) return
          const parts = errorFields(err)
          const named = Object.keys(parts).length > 0
          setState({ rendered: undefined, profileId: '', partErrors: parts, error: named ? undefined : errorMessage(err), loading: false })
        },
      )
    }, PREVIEW_DELAY_MS)
    return () => {
      clearTimeout(timer)
      ctl.abort()
    }
    // key stands for draft, profile and savedId.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key])

  return state
}
