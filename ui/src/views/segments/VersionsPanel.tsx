import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { segmentVersions } from './segmentsApi'

/** Every version, newest first, with its text; versions never change once saved. */
export function VersionsPanel({ segmentId, current }: { segmentId: string; current: number }) {
  const api = useApi()
  const vs = useLoad((signal) => segmentVersions(api, segmentId, signal), [api, segmentId, current])
  const newest = vs.data && [...vs.data].reverse()
  return (
    <Panel
      title="Versions"
      loading={vs.loading && !vs.data}
      error={vs.error}
      onRetry={vs.reload}
      isEmpty={vs.data?.length === 0}
      empty={<EmptyState title="No versions">Saving the segment makes its first version.</EmptyState>}
    >
      {newest && (
        <ol className="seg-versions" reversed>
          {newest.map((v) => (
            <li key={v.version}>
              <p>
                <strong>Version {v.version}</strong>
                {v.version === current && <span className="badge badge-after">current</span>}{' '}
                <span className="muted">
                  saved <Time value={v.created_at} />
                </span>
              </p>
              <pre className="seg-code">{v.text}</pre>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  )
}
