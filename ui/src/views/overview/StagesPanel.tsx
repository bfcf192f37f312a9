import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { stageReport } from './overviewApi'

/** How many customers are in each lifecycle stage, in the model's order. */
export function StagesPanel() {
  const api = useApi()
  const { data, error, loading, reload } = useLoad((signal) => stageReport(api, signal), [api], 30_000)
  const total = data?.stages.reduce((n, s) => n + s.profiles, 0) ?? 0
  return (
    <Panel
      title="Lifecycle stages"
      loading={loading && data === undefined}
      error={error}
      onRetry={reload}
      isEmpty={data === null}
      empty={
        <EmptyState title="No stage model">
          <p>
            A stage model places every customer in one stage (awareness → consideration → purchase → retention). Create
            the standard one with <code>cairn stages set -f MODEL.json</code> (see docs/segments.md);{' '}
            <code>serve --demo</code> creates it for the demo data.
          </p>
        </EmptyState>
      }
    >
      {data && (
        <TableWrap label="Customers per lifecycle stage">
          <table className="stage-table">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Customers
                </th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {data.stages.map((s) => {
                const share = total > 0 ? s.profiles / total : 0
                return (
                  <tr key={s.stage}>
                    <th scope="row">{s.stage}</th>
                    <td className="num">{s.profiles.toLocaleString()}</td>
                    <td>
                      <meter className="stage-meter" min={0} max={1} value={share} aria-label={`${s.stage}: share of customers`} />
                      <span className="cell-note">{(share * 100).toFixed(1)}%</span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  )
}
