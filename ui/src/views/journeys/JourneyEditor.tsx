import { lazy, Suspense, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { StatusBadge } from '../../components/StatusBadge'
import { formatNumber } from '../../format'
import { useApi } from '../../session'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EditorToolbar } from './EditorToolbar'
import { Palette } from './Palette'
import { JOURNEY } from './problems'
import { ProblemList } from './ProblemList'
import { PublishDialog } from './PublishDialog'
import { VersionsPanel } from './VersionsPanel'
import { SidePanel } from './SidePanel'
import { nodeTitle } from './summary'
import { useOverlay, useRefs } from './useEditorData'
import { useJourneyEditor } from './useJourneyEditor'

// React Flow is loaded with the canvas, on the first journey opened.
const Canvas = lazy(() => import('./Canvas').then((m) => ({ default: m.Canvas })))

/** /journeys/:id — the canvas editor: palette, canvas, side panel; save, check, publish, pause, stop. */
export function JourneyEditor({ id }: { id: string }) {
  const api = useApi()
  const ed = useJourneyEditor(api, id)
  const refs = useRefs(api, ed.draft)
  const published = !!ed.record?.live_version
  const overlay = useOverlay(api, id, published, ed.record?.live_version)
  const [stopping, setStopping] = useState(false)
  const { draft, record, actions } = ed
  const liveIds = useMemo(() => new Set(record?.live?.nodes?.map((n) => n.id) ?? []), [record?.live])

  if (!draft || !record) {
    return (
      <Page title="Journey" lead={<Link to="/journeys">All journeys</Link>}>
        {ed.error ? <ErrorMessage message={ed.error} onRetry={actions.reload} /> : <p className="muted" role="status">Loading the journey…</p>}
      </Page>
    )
  }
  const active = [...overlay.counts.values()].reduce((s, c) => s + (c.waiting ?? 0), 0)
  const lead = (
    <>
      <Link to="/journeys">All journeys</Link> · <StatusBadge status={record.status} />{' '}
      {published ? `live version ${record.live_version}` : 'never published'}
      {(ed.dirty || (published && record.unpublished_changes)) && <span className="jr-unsaved"> · {ed.dirty ? 'unsaved changes' : 'draft differs from the live version'}</span>}
    </>
  )
  return (
    <Page
      title={draft.name || id}
      lead={lead}
      actions={
        <EditorToolbar
          status={record.status}
          published={published}
          dirty={ed.dirty}
          busy={ed.busy}
          onSave={actions.save}
          onPublish={actions.startPublish}
          onStatus={actions.status}
          onStop={() => setStopping(true)}
        />
      }
    >
      {ed.error && <ErrorMessage message={ed.error} />}
      {ed.notice && (
        <p className="jr-notice" role="status">
          {ed.notice}
        </p>
      )}
      {overlay.error && <ErrorMessage message={`Live numbers unavailable: ${overlay.error}`} />}
      <ProblemList def={draft} problems={ed.problems} onSelect={actions.select} />
      {ed.checked && ed.dirty && ed.problems.size > 0 && <p className="hint">These are the problems of the last check; save to check again.</p>}
      <div className="jr-editor">
        <div className="jr-main">
          <Palette after={ed.selected === null ? undefined : nodeTitle(draft, ed.selected)} onAdd={(kind) => actions.add(kind)} disabled={ed.busy !== null} />
          <Suspense fallback={<p className="jr-canvas muted" role="status">Loading the canvas…</p>}>
            <Canvas
              def={draft}
              selected={ed.selected}
              problems={ed.problems}
              counts={overlay.counts}
              onSelect={actions.select}
              onConnect={actions.connect}
              onDelete={actions.remove}
              onDropKind={(kind) => actions.add(kind, '')}
              onMove={actions.move}
            />
          </Suspense>
        </div>
        <SidePanel
          def={draft}
          selected={ed.selected}
          problems={ed.problems.get(ed.selected ?? JOURNEY) ?? []}
          counts={overlay.counts.get(ed.selected ?? '')}
          liveIds={liveIds}
          refs={refs}
          onSetNode={actions.setNode}
          onSetDef={actions.setDef}
          onRename={actions.rename}
          onConnect={actions.connect}
          onDelete={actions.remove}
          onClose={() => actions.select(null)}
        />
      </div>
      <VersionsPanel id={id} liveVersion={record.live_version} />
      {ed.pendingPublish && (
        <PublishDialog
          name={draft.name || id}
          diff={ed.pendingPublish}
          liveVersion={record.live_version}
          counts={overlay.counts}
          targets={refs.nodeIds}
          busy={ed.busy === 'publish'}
          onPublish={actions.publish}
          onCancel={actions.cancelPublish}
        />
      )}
      {stopping && (
        <ConfirmDialog
          title={`Stop “${draft.name || id}”?`}
          tone="danger"
          confirmLabel="Stop the journey"
          busy={ed.busy === 'stop'}
          onConfirm={() => {
            actions.status('stop').finally(() => setStopping(false))
          }}
          onCancel={() => setStopping(false)}
        >
          <p>
            Stopping takes no new entries and ejects everyone in the journey now{active ? ` (${formatNumber(active)} customers)` : ''}: they leave
            with the reason “stopped” and get no further messages.
          </p>
          <p>To hold entries while keeping customers where they are, pause instead.</p>
        </ConfirmDialog>
      )}
    </Page>
  )
}
