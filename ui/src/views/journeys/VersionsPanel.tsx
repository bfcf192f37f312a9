import { useState } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { Time } from '../../components/Time'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { diffDefinitions } from './diff'
import { journeyVersions } from './journeysApi'
import { PublishDiff } from './PublishDiff'

/**
 * The published versions of a journey, newest first, each with what it
 * changed against the one before. Versions never change once published;
 * customers stay on the version they entered.
 */
export function VersionsPanel({ id, liveVersion: shown }: { id: string; liveVersion: number | undefined }) {
  const api = useApi()
  // Reloaded when the editor's live version changes (a publish).
  const list = useLoad((signal) => journeyVersions(api, id, signal), [api, id, shown])
  const [open, setOpen] = useState<number>()
  const versions = list.data?.versions ?? []
  const liveVersion = list.data?.live_version
  const byNumber = new Map(versions.map((v) => [v.version, v]))
  return (
    <Panel
      title="Versions"
      loading={list.loading && !list.data}
      error={list.error}
      onRetry={list.reload}
      isEmpty={versions.length === 0}
      empty={
        <EmptyState title="Not published yet">
          <p>Publishing makes the draft version 1. Each publish after adds a version; customers stay on the one they entered.</p>
        </EmptyState>
      }
    >
      <TableWrap label="Published versions">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => {
              const prev = byNumber.get(v.version - 1)
              return (
                <tr key={v.version}>
                  <th scope="row">
                    {v.version}
                    {v.version === liveVersion && <span className="cell-note">live</span>}
                  </th>
                  <td>
                    <Time value={v.published_at} />
                  </td>
                  <td>
                    {v.version === 1 ? (
                      <span className="muted">The first version</span>
                    ) : open === v.version ? (
                      <>
                        <PublishDiff
                          diff={diffDefinitions(prev?.definition, v.definition)}
                          liveVersion={undefined}
                          intro={`Against version ${v.version - 1}:`}
                        />
                        <button type="button" className="button-secondary" onClick={() => setOpen(undefined)}>
                          Hide
                        </button>
                      </>
                    ) : (
                      <button type="button" className="button-secondary" onClick={() => setOpen(v.version)}>
                        What changed in version {v.version}
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  )
}
