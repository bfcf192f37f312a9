import { useEffect, useId, useMemo, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiError, errorMessage, isAbort } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { PartField } from './PartField'
import { PreviewPanel } from './PreviewPanel'
import { TestSend } from './TestSend'
import {
  buildBody,
  CHANNEL_IDS,
  CHANNELS,
  createTemplate,
  deleteTemplate,
  draftFrom,
  emptyDraft,
  errorFields,
  getTemplate,
  PART_LABELS,
  updateTemplate,
  validateDraft,
  type Channel,
  type Draft,
  type FieldErrors,
  type Part,
} from './templatesApi'
import { usePreview } from './usePreview'

const HINTS: Partial<Record<Part, string>> = {
  subject: 'Liquid, e.g. {{ profile.first_name | default: "there" }}.',
  html: 'HTML with Liquid; values are HTML-escaped. Link to {{ message.unsubscribe_url }} in marketing email.',
  text: 'Optional plain-text alternative.',
}

const ROWS: Partial<Record<Part, number>> = { subject: 2, title: 2, html: 10, text: 6, body: 6 }

interface Props {
  /** The template's id; undefined for a new one. */
  id?: string | undefined
}

/** /templates/new and /templates/:id: edit a template per channel, preview it for a profile, save, send a test. */
export function TemplateEditor({ id }: Props) {
  const api = useApi()
  const navigate = useNavigate()
  const isNew = id === undefined
  const [saved, setSaved] = useState<Draft | undefined>(isNew ? emptyDraft() : undefined)
  const [draft, setDraft] = useState<Draft>(emptyDraft())
  const [loadError, setLoadError] = useState<string>()
  const [reload, setReload] = useState(0)
  const [profile, setProfile] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [saveError, setSaveError] = useState<string>()
  const [saving, setSaving] = useState(false)
  const [notice, setNotice] = useState<string>()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState<string>()
  const ids = { name: useId(), id: useId(), channel: useId(), profile: useId(), map: useId() }

  useEffect(() => {
    if (isNew) return
    const ctl = new AbortController()
    setLoadError(undefined)
    getTemplate(api, id, ctl.signal).then(
      (row) => {
        if (ctl.signal.aborted) return
        const d = draftFrom({ ...row.body, id: row.body.id ?? row.id })
        setSaved(d)
        setDraft(d)
      },
      (err: unknown) => {
        if (!ctl.signal.aborted && !isAbort(err)) setLoadError(errorMessage(err))
      },
    )
    return () => ctl.abort()
  }, [api, id, isNew, reload])

  const spec = CHANNELS[draft.channel]
  const body = useMemo(() => buildBody(draft), [draft])
  const dirty = saved === undefined || JSON.stringify(buildBody(saved)) !== JSON.stringify(body)
  const savedId = !isNew && !dirty ? id : undefined
  const preview = usePreview(api, body, profile, savedId)

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setNotice(undefined)
  }
  const setPart = (p: Part, v: string) => setDraft((d) => ({ ...d, parts: { ...d.parts, [p]: v } }))

  const save = async () => {
    const local = validateDraft(draft, isNew)
    setErrors(local)
    setSaveError(undefined)
    setNotice(undefined)
    if (Object.keys(local).length > 0) return
    setSaving(true)
    try {
      const row = isNew ? await createTemplate(api, body) : await updateTemplate(api, id, { ...body, id })
      const d = draftFrom({ ...row.body, id: row.body.id ?? row.id })
      setSaved(d)
      setDraft(d)
      setNotice('Saved.')
      if (isNew) navigate(`/templates/${encodeURIComponent(row.id)}`, { replace: true })
    } catch (err) {
      const fields = errorFields(err)
      setErrors(fields)
      if (Object.keys(fields).length === 0 || (err instanceof ApiError && err.status >= 500)) setSaveError(errorMessage(err))
    } finally {
      setSaving(false)
    }
  }

  const remove = async () => {
    if (!id) return
    setDeleting(true)
    setDeleteError(undefined)
    try {
      await deleteTemplate(api, id)
      navigate('/templates')
    } catch (err) {
      setDeleteError(
        err instanceof ApiError && err.status === 409
          ? `${err.message} Remove it from the journey (or stop the journey) first.`
          : errorMessage(err),
      )
    } finally {
      setDeleting(false)
    }
  }

  const title = isNew ? 'New template' : (saved?.name || id || 'Template')

  if (!isNew && !saved) {
    return (
      <Page title={id ?? 'Template'}>
        <Panel title="Template" loading={!loadError} error={loadError} onRetry={() => setReload((n) => n + 1)} isEmpty={!!loadError}>
          {null}
        </Panel>
        <p>
          <Link to="/templates">Back to templates</Link>
        </p>
      </Page>
    )
  }

  return (
    <Page
      title={title}
      lead={<Link to="/templates">All templates</Link>}
      actions={
        <>
          {!isNew && (
            <button type="button" className="button-danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )}
          <button type="button" className="button-primary" disabled={saving} onClick={() => void save()}>
            {saving ? 'Saving…' : isNew ? 'Create template' : 'Save'}
          </button>
        </>
      }
    >
      {saveError && <ErrorMessage message={saveError} />}
      {notice && (
        <p role="status" className="tpl-notice">
          {notice}
        </p>
      )}
      <div className="tpl-layout">
        <Panel title="Content" className="tpl-editor">
          <form
            className="tpl-form"
            onSubmit={(e) => {
              e.preventDefault()
              void save()
            }}
          >
            <div className="tpl-row">
              <div className="tpl-field">
                <label htmlFor={ids.id}>Id</label>
                <input
                  id={ids.id}
                  value={draft.id}
                  readOnly={!isNew}
                  aria-invalid={errors.id ? true : undefined}
                  aria-describedby={errors.id ? `${ids.id}-err` : undefined}
                  onChange={(e) => set({ id: e.target.value })}
                />
                {errors.id && (
                  <p className="field-error" id={`${ids.id}-err`}>
                    {errors.id}
                  </p>
                )}
              </div>
              <div className="tpl-field">
                <label htmlFor={ids.name}>Name</label>
                <input id={ids.name} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
                {errors.name && <p className="field-error">{errors.name}</p>}
              </div>
              <div className="tpl-field">
                <label htmlFor={ids.channel}>Channel</label>
                <select
                  id={ids.channel}
                  value={draft.channel}
                  aria-invalid={errors.channel ? true : undefined}
                  onChange={(e) => set({ channel: e.target.value as Channel })}
                >
                  {CHANNEL_IDS.map((c) => (
                    <option key={c} value={c}>
                      {CHANNELS[c].label}
                    </option>
                  ))}
                </select>
                {errors.channel && <p className="field-error">{errors.channel}</p>}
              </div>
            </div>
            {spec.parts.map((p) => (
              <PartField
                key={p}
                label={PART_LABELS[p] + (spec.required.includes(p) ? '' : ' (optional)')}
                value={draft.parts[p]}
                rows={ROWS[p] ?? 4}
                hint={draft.channel === 'webhook' ? 'A JSON body with Liquid; values are JSON-escaped.' : HINTS[p]}
                error={errors[p]}
                renderError={preview.partErrors[p]}
                onChange={(v) => setPart(p, v)}
              />
            ))}
            {spec.map && (
              <PartField
                label={spec.map === 'data' ? 'Data (optional JSON object of strings)' : 'Headers (optional JSON object of strings)'}
                value={draft.map}
                rows={4}
                hint={spec.map === 'data' ? 'Key-value pairs the app receives, e.g. {"screen": "offers"}.' : 'Extra HTTP headers, e.g. {"X-Campaign": "winback"}.'}
                error={errors.map}
                renderError={preview.partErrors.map}
                onChange={(v) => set({ map: v })}
              />
            )}
            <div className="tpl-check">
              <input
                type="checkbox"
                id={`${ids.map}-tx`}
                checked={draft.transactional}
                onChange={(e) => set({ transactional: e.target.checked })}
              />
              <label htmlFor={`${ids.map}-tx`}>Transactional (exempt from marketing frequency caps)</label>
            </div>
          </form>
        </Panel>
        <div className="tpl-side">
          <Panel title="Preview for a customer">
            <div className="tpl-field">
              <label htmlFor={ids.profile}>Profile</label>
              <input
                id={ids.profile}
                value={profile}
                placeholder="email:ada@example.com"
                aria-describedby={`${ids.profile}-hint`}
                onChange={(e) => setProfile(e.target.value)}
              />
              <p className="hint" id={`${ids.profile}-hint`}>
                email:…, user_id:…, phone:… or a profile id. The preview renders {dirty ? 'your unsaved draft' : 'the saved template'}.
              </p>
            </div>
          </Panel>
          <PreviewPanel parts={spec.parts} preview={preview} />
          <TestSend templateId={isNew ? undefined : id} profile={profile} dirty={dirty} />
        </div>
      </div>
      {confirmDelete && id && (
        <ConfirmDialog
          title={`Delete template “${id}”?`}
          confirmLabel="Delete template"
          busy={deleting}
          error={deleteError}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirmDelete(false)
            setDeleteError(undefined)
          }}
        >
          <p>Journeys and test sends can no longer use it. A template a live journey uses cannot be deleted.</p>
        </ConfirmDialog>
      )}
    </Page>
  )
}
