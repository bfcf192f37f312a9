import type { Profile } from '../../api'
import { Panel } from '../../components/Panel'
import { Time } from '../../components/Time'
import { formatNumber, formatValue } from '../../format'
import { useSourceNames } from '../../useSourceNames'

export function ProfileSummary({ profile: p }: { profile: Profile }) {
  const sourceName = useSourceNames()
  const stage = p.traits.lifecycle_stage
  return (
    <Panel title="Summary" className="span-all">
      <dl className="facts">
        <div>
          <dt>Profile id</dt>
          <dd>
            <code>{p.id}</code>
          </dd>
        </div>
        {stage !== undefined && (
          <div>
            <dt>Lifecycle stage</dt>
            <dd>{formatValue(stage)}</dd>
          </div>
        )}
        <div>
          <dt>Events</dt>
          <dd>{formatNumber(p.event_count)}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>
            <Time value={p.first_seen} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <Time value={p.last_seen} />
          </dd>
        </div>
        <div>
          <dt>Channels</dt>
          <dd>{p.channels.join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>Sources</dt>
          <dd>{p.sources.map(sourceName).join(', ') || '—'}</dd>
        </div>
        {p.accounts.length > 0 && (
          <div>
            <dt>Accounts</dt>
            <dd>{p.accounts.map((a) => a.group_id).join(', ')}</dd>
          </div>
        )}
        {p.merged_from.length > 0 && (
          <div>
            <dt>Merged from</dt>
            <dd>
              {p.merged_from.map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <code>{id}</code>
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
    </Panel>
  )
}
