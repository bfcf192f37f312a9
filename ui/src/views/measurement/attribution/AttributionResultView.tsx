import { useMemo } from 'react'
import { EmptyState } from '../../../components/EmptyState'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { amount, count, dec, pct } from '../format'
import type { AttributionResult } from '../typesModels'
import { attributionOption, modelName } from './request'

/** The models side by side: a grouped bar chart and a table of conversions credited and shares. */
export function AttributionResultView({ result: res }: { result: AttributionResult }) {
  const option = useMemo(() => attributionOption(res), [res])
  const credit = (m: string, c: string) => res.models[m]?.find((x) => x.channel === c)
  const dim = res.by === 'campaign' ? 'Campaign' : 'Channel'
  if (res.channels.length === 0) {
    return (
      <Panel title="Credit">
        <EmptyState title="No conversion had a touch before it">
          <p>
            No “{res.conversion}” was preceded by a tracked touch within {res.lookback}. Try a longer lookback, or check
            that your sources send page views, ad clicks and email events for the same customers.
          </p>
        </EmptyState>
      </Panel>
    )
  }
  return (
    <Panel title="Credit">
      <p className="muted m-summary">
        {dec(res.totals.conversions)} conversions worth {amount(res.totals.value)} over {count(res.totals.paths)} paths
        ({count(res.touches)} touches); {dec(res.unattributed?.conversions ?? 0)} conversions had no touch within{' '}
        {res.lookback} and are left out.
      </p>
      <Chart option={option} label={`Conversions credited to each ${dim.toLowerCase()} by each model`} size="tall" />
      <TableWrap label="Credit by model">
        <table>
          <thead>
            <tr>
              <th scope="col">{dim}</th>
              {res.model_names.map((m) => (
                <th key={m} scope="col" className="num">
                  {modelName(m)}
                </th>
              ))}
              {res.removal_effects && <th scope="col" className="num">Removal effect</th>}
            </tr>
          </thead>
          <tbody>
            {res.channels.map((c) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                {res.model_names.map((m) => (
                  <td key={m} className="num">
                    {dec(credit(m, c)?.conversions ?? 0)}
                    <span className="cell-note">{pct(credit(m, c)?.share ?? 0)}</span>
                  </td>
                ))}
                {res.removal_effects && <td className="num">{pct(res.removal_effects[c])}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p className="hint">Each cell: conversions credited, and the share of all conversions under that model.</p>
      {res.notes && res.notes.length > 0 && (
        <ul className="m-notes">
          {res.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <p className="hint">{res.channel_rule}</p>
    </Panel>
  )
}
