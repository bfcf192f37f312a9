import { Link } from 'react-router'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { channelLabel, isInternalSource } from './channels'
import { DebuggerPanel } from './DebuggerPanel'
import { SnippetsPanel } from './SnippetsPanel'
import { WriteKeysPanel } from './WriteKeysPanel'

/** /sources/:id — a source's write keys, SDK snippets with its key, and its live events. */
export function SourceDetail({ sourceId }: { sourceId: string }) {
  const api = useApi()
  const { data: s, error, loading, reload } = useLoad((signal) => api.source(sourceId, signal), [api, sourceId])

  if (!s) {
    return (
      <Page title="Source">
        <section className="panel">
          {loading ? (
            <p className="muted" role="status">
              Loading…
            </p>
          ) : (
            <>
              <ErrorMessage message={error ?? 'This source could not be loaded.'} onRetry={reload} />
              <p>
                <Link to="/sources">Back to the sources</Link>
              </p>
            </>
          )}
        </section>
      </Page>
    )
  }

  const newestKey = (s.write_keys ?? [])
    .filter((k) => !k.revoked_at)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0]?.key
  const internal = isInternalSource(s)

  return (
    <Page
      title={s.name}
      lead={
        <>
          <Link to="/sources">Sources</Link> › <code>{s.id}</code>
        </>
      }
    >
      {error && <ErrorMessage message={error} onRetry={reload} />}
      <Panel title="About this source">
        <dl className="facts">
          <div>
            <dt>Channel</dt>
            <dd>{channelLabel(s.channel)}</dd>
          </div>
          <div>
            <dt>Party</dt>
            <dd>{s.party}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <Time value={s.created_at} />
            </dd>
          </div>
        </dl>
      </Panel>
      <WriteKeysPanel source={s} onChanged={reload} />
      {!internal && <SnippetsPanel writeKey={newestKey} />}
      {!internal && (
        <DebuggerPanel
          sourceId={s.id}
          hint={<p>Send one with the curl snippet above: it appears here the moment Cairn receives it.</p>}
        />
      )}
    </Page>
  )
}
