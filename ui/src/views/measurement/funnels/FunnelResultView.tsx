import { useMemo, useState } from 'react'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { count, pct, seconds } from '../format'
import type { FunnelResult } from '../types'
import { BreakdownTable } from './BreakdownTable'
import { funnelOption, stepLabel } from './option'
import type { FunnelForm } from './request'
import { SaveDropoff } from './SaveDropoff'

/** The funnel chart, the per-step table with drop-off, and the breakdown. */
export function FunnelResultView({ result, form }: { result: FunnelResult; form: FunnelForm }) {
  const option = useMemo(() => funnelOption(result), [result])
  const [saving, setSaving] = useState<number>()
  const cmp = result.compare
  const canSave = result.order === 'strict'
  return (
    <Panel title="Result">
      <p className="muted m-summary">
        {count(result.entered)} customers entered; {pct(result.steps.at(-1)?.conversion_from_first ?? 0)} finished
        within {result.window} ({result.order === 'strict' ? 'steps in order' : 'any order'}).
      </p>
      <Chart option={option} label="Customers at each step of the funnel" />
      <TableWrap label="Funnel steps">
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" className="num">Customers</th>
              <th scope="col" className="num">From previous</th>
              <th scope="col" className="num">From first</th>
              <th scope="col" className="num">Median time</th>
              <th scope="col" className="num">90th percentile</th>
              <th scope="col" className="num">Dropped</th>
              {cmp && <th scope="col" className="num">Comparison period</th>}
              {canSave && <th scope="col">Drop-off</th>}
            </tr>
          </thead>
          <tbody>
            {result.steps.map((s, i) => (
              <tr key={i}>
                <th scope="row">{stepLabel(s.event, i)}</th>
                <td className="num">{count(s.count)}</td>
                <td className="num">{i === 0 ? '—' : pct(s.conversion_from_previous)}</td>
                <td className="num">{pct(s.conversion_from_first)}</td>
                <td className="num">{seconds(s.median_seconds)}</td>
                <td className="num">{seconds(s.p90_seconds)}</td>
                <td className="num">{i === 0 ? '—' : count(s.dropped.total)}</td>
                {cmp && (
                  <td className="num">
                    {count(cmp.steps[i]?.count ?? 0)} ({pct(cmp.steps[i]?.conversion_from_first)})
                  </td>
                )}
                {canSave && (
                  <td>
                    {i > 0 && s.dropped.total > 0 && (
                      <button
                        type="button"
                        className="link-button m-link"
                        onClick={() => setSaving(i + 1)}
                        aria-label={`Save drop-off before step ${i + 1} as segment`}
                      >
                        Save drop-off as segment
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {saving !== undefined && (
        <SaveDropoff
          key={saving}
          form={form}
          step={saving}
          stepEvent={result.steps[saving - 1]?.event ?? ''}
          onClose={() => setSaving(undefined)}
        />
      )}
      {result.breakdown && result.breakdown.length > 0 && <BreakdownTable result={result} />}
    </Panel>
  )
}
