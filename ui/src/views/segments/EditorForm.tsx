import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { EventNames } from '../measurement/events'
import { BuilderProvider } from './BuilderContext'
import { ConditionTree } from './builder/ConditionTree'
import { DetailsFields } from './DetailsFields'
import { editorErrors } from './editorErrors'
import { PreviewPanel } from './PreviewPanel'
import { createSegment, updateSegment } from './segmentsApi'
import { TextPanel } from './TextPanel'
import { printText } from './textPrint'
import { childrenOf, editable } from './tree'
import type { DefinitionForm, SegmentBody, SegmentDetail } from './types'
import { usePreview } from './usePreview'
import { useTextMode } from './useTextMode'

/** The builder: name, conditions (visual or text), the text form and the live preview side by side, save. */
export function EditorForm({ segment }: { segment?: SegmentDetail }) {
  const api = useApi()
  const navigate = useNavigate()
  const segments = useLoad((signal) => api.segments(signal), [api])
  const sources = useLoad((signal) => api.sources(signal), [api])
  const [name, setName] = useState(segment?.name ?? '')
  const [description, setDescription] = useState(segment?.description ?? '')
  const [tree, setTree] = useState(() => editable(segment?.definition))
  const text = useTextMode(setTree)
  const [saveError, setSaveError] = useState<unknown>()
  const [localError, setLocalError] = useState<{ name?: string; general?: string }>({})
  const [busy, setBusy] = useState(false)

  const form: DefinitionForm | null = text.editing
    ? text.text.trim()
      ? { text: text.text }
      : null
    : childrenOf(tree).length
      ? { definition: tree }
      : null
  const preview = usePreview(form)
  const previewErrs = editorErrors(preview.error, tree, text.editing)
  const errs = saveError ? editorErrors(saveError, tree, text.editing) : previewErrs
  const shownText = preview.status === 'done' && preview.result?.text && !text.editing ? preview.result.text : printText(tree)

  function edited<T>(set: (v: T) => void) {
    return (v: T) => {
      set(v)
      setSaveError(undefined)
      setLocalError({})
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault()
    if (!segment && !name.trim()) {
      setLocalError({ name: 'Give the segment a name, e.g. “Recent buyers”.' })
      return
    }
    if (!form) {
      setLocalError({ general: text.editing ? 'Write the condition as text, or go back to the builder.' : 'Add at least one condition.' })
      return
    }
    const body: SegmentBody = { name: name.trim(), description, ...form }
    setBusy(true)
    setSaveError(undefined)
    setLocalError({})
    try {
      const saved = segment ? await updateSegment(api, segment.id, body) : await createSegment(api, body)
      navigate(`/segments/${encodeURIComponent(saved.id)}`)
    } catch (err) {
      setSaveError(err)
      setBusy(false)
    }
  }

  const title = segment ? `Edit ${segment.name}` : 'New segment'
  return (
    <Page
      title={title}
      lead={segment ? `Saving makes version ${segment.version + 1}; earlier versions stay as they were.` : 'Who is in it: conditions on what people did and who they are.'}
    >
      <EventNames />
      <form className="seg-editor" onSubmit={save} noValidate aria-label={title}>
        <section className="panel">
          <DetailsFields
            name={name}
            description={description}
            onName={edited(setName)}
            onDescription={edited(setDescription)}
            errors={{ name: localError.name ?? errs.name, description: errs.description }}
          />
        </section>
        {(localError.general ?? (saveError ? errs.general : undefined)) && (
          <ErrorMessage message={localError.general ?? errs.general ?? ''} />
        )}
        <div className="seg-editor-columns">
          <div className="seg-editor-main">
            {text.editing ? (
              <section className="panel">
                <p className="muted">
                  You are editing the text form (on the right): it is what is previewed and saved. “Back to the builder” reads it
                  into the visual builder.
                </p>
              </section>
            ) : (
              <BuilderProvider value={{ segments: segments.data, sources: sources.data, selfId: segment?.id, error: errs.node }}>
                <section className="panel">
                  <ConditionTree tree={tree} onChange={edited(setTree)} />
                  {errs.node && !saveError && <p className="hint">The size estimate waits until the marked condition is fixed.</p>}
                </section>
              </BuilderProvider>
            )}
          </div>
          <aside className="seg-editor-side" aria-label="Text form and size estimate">
            <TextPanel
              editing={text.editing}
              text={text.editing ? text.text : shownText}
              onText={edited(text.setText)}
              onToggle={() => text.toggle(shownText)}
              error={text.error ?? errs.text}
            />
            <PreviewPanel
              preview={preview}
              idle={text.editing ? 'Write a condition to see how many profiles match.' : 'Add a condition to see how many profiles match.'}
              error={previewErrs.general}
              invalid={!!(previewErrs.node || previewErrs.text || previewErrs.name)}
            />
          </aside>
        </div>
        <div className="seg-save">
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Saving…' : segment ? 'Save new version' : 'Save segment'}
          </button>
          <Link to={segment ? `/segments/${encodeURIComponent(segment.id)}` : '/segments'}>Cancel</Link>
        </div>
      </form>
    </Page>
  )
}
