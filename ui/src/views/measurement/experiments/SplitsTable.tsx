import { TableWrap } from '../../../components/TableWrap'
import { count, pct, pctInterval, points, pValue } from '../format'
import type { JourneyReport } from '../typesModels'

/** Each split's arms: conversion with its interval, the comparison with the best arm, the Holm-adjusted p. */
export function SplitsTable({ splits }: { splits: JourneyReport['splits'] }) {
  if (splits.length === 0) return null
  return (
    <>
      <h3 className="m-subhead">Split arms</h3>
      {splits.map((s) => (
        <TableWrap key={s.node} label={`Arms of ${s.node}`}>
          <table>
            <caption className="m-caption">
              <code>{s.node}</code>: best arm <strong>{s.best || '—'}</strong>
            </caption>
            <thead>
              <tr>
                <th scope="col">Arm</th>
                <th scope="col" className="num">Customers</th>
                <th scope="col" className="num">Converted</th>
                <th scope="col" className="num">Rate</th>
                <th scope="col" className="num">95% interval</th>
                <th scope="col" className="num">Against best</th>
                <th scope="col" className="num">Adjusted p</th>
                <th scope="col">Flag</th>
              </tr>
            </thead>
            <tbody>
              {s.arms.map((a) => (
                <tr key={a.arm} className={a.underperforming ? 'm-row-bad' : undefined}>
                  <th scope="row">{a.arm}</th>
                  <td className="num">{count(a.counts.trials)}</td>
                  <td className="num">{count(a.counts.successes)}</td>
                  <td className="num">{pct(a.rate)}</td>
                  <td className="num">{pctInterval(a.ci)}</td>
                  <td className="num">{a.vs_best ? points(a.vs_best.diff) : 'best'}</td>
                  <td className="num">{pValue(a.adjusted_p)}</td>
                  <td>{a.underperforming && <span className="badge m-badge-bad">underperforming</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ))}
    </>
  )
}
