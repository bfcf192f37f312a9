import { Panel } from '../../components/Panel'
import { ErrorMessage } from '../../components/ErrorMessage'
import { PART_LABELS, type Part } from './templatesApi'
import type { PreviewState } from './usePreview'

interface Props {
  parts: Part[]
  preview: PreviewState
}

/** The rendered parts; email HTML in a sandboxed frame that runs no script. */
export function PreviewPanel({ parts, preview }: Props) {
  const r = preview.rendered
  return (
    <Panel
      title="Preview"
      className="tpl-preview"
      actions={preview.loading ? <span className="muted" role="status">Rendering…</span> : undefined}
    >
      {preview.error && <ErrorMessage message={preview.error} />}
      {r && preview.profileId && (
        <p className="muted">
          Rendered for profile <code>{preview.profileId}</code>.
        </p>
      )}
      {r && !preview.profileId && <p className="muted">Rendered without a profile: choose one to see a customer’s own values.</p>}
      {parts.map((p) => {
        const err = preview.partErrors[p]
        const value = r?.[p]
        return (
          <div key={p} className="tpl-preview-part">
            <h3>{PART_LABELS[p]}</h3>
            {err ? (
              <p className="field-error" role="alert">
                {err}
              </p>
            ) : value === undefined || value === '' ? (
              <p className="muted">{r ? 'Empty.' : '—'}</p>
            ) : p === 'html' ? (
              <iframe className="tpl-frame" title={`${PART_LABELS[p]} preview`} sandbox="" srcDoc={value} />
            ) : (
              <pre className="tpl-rendered">{value}</pre>
            )}
          </div>
        )
      })}
      {(['data', 'headers'] as const).map((k) => {
        const m = r?.[k]
        if (!m || Object.keys(m).length === 0) return null
        return (
          <div key={k} className="tpl-preview-part">
            <h3>{k === 'data' ? 'Data' : 'Headers'}</h3>
            <pre className="tpl-rendered">{JSON.stringify(m, null, 2)}</pre>
          </div>
        )
      })}
      {preview.partErrors.map && (
        <p className="field-error" role="alert">
          {preview.partErrors.map}
        </p>
      )}
    </Panel>
  )
}
