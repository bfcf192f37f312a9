import { useMemo } from 'react'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { count, pct, points, pointsInterval, pValue, signedPct } from '../format'
import type { ExperimentResult } from '../typesModels'
import { armsOption } from './request'

/** The arms (rate, P(best), expected loss), each arm against the first (z-test and sequential), and the SRM check. */
export function ExperimentResultView({ result: r }: { result: ExperimentResult }) {
  const option = useMemo(() => armsOption(r.arms), [r])
  return (
    <div className="m-result">
      <p className="muted m-summary">
        {r.kind === 'experiment' ? 'Experiment' : 'Random split'} <code>{r.node}</code> (version {r.version}): customers
        who did {r.metric} {r.window ? `within ${r.window} of entering` : 'any time after entering'}.
      </p>
      <Chart option={option} label="Conversion rate of each arm" size="short" />
      <TableWrap label="Arms">
        <table>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">Planned</th>
              <th scope="col" className="num">Customers</th>
              <th scope="col" className="num">Converted</th>
              <th scope="col" className="num">Rate</th>
              <th scope="col" className="num">P(best)</th>
              <th scope="col" className="num">Expected loss</th>
            </tr>
          </thead>
          <tbody>
            {r.arms.map((a, i) => (
              <tr key={a.id}>
                <th scope="row">{a.id}</th>
                <td className="num">{pct(a.planned_percent / 100)}</td>
                <td className="num">{count(a.trials)}</td>
                <td className="num">{count(a.successes)}</td>
                <td className="num">{pct(a.rate)}</td>
                <td className="num">{pct(r.bayes?.p_best[i])}</td>
                <td className="num">{pct(r.bayes?.expected_loss[i])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {r.comparisons.length > 0 && (
        <TableWrap label="Comparisons">
          <table>
            <thead>
              <tr>
                <th scope="col">Comparison</th>
                <th scope="col" className="num">Difference</th>
                <th scope="col" className="num">95% interval</th>
                <th scope="col" className="num">p (z-test)</th>
                <th scope="col" className="num">Relative lift</th>
                <th scope="col" className="num">Sequential p</th>
                <th scope="col" className="num">Confidence sequence</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {r.comparisons.map((c) => {
                const z = c.report.z_test
                const s = c.report.sequential
                return (
                  <tr key={c.b}>
                    <th scope="row">
                      {c.b} against {c.a}
                    </th>
                    <td className="num">{points(z?.diff)}</td>
                    <td className="num">{pointsInterval(z?.diff_ci)}</td>
                    <td className="num">{pValue(z?.p)}</td>
                    <td className="num">{signedPct(z?.lift?.estimate)}</td>
                    <td className="num">{pValue(s.p)}</td>
                    <td className="num">{pointsInterval(s.cs)}</td>
                    <td>{s.reject ? <strong>Significant (safe to stop)</strong> : 'Keep running'}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      <ul className="m-notes">
        <li className={r.srm.mismatch ? 'm-bad' : undefined}>
          Sample ratio: {r.srm.mismatch ? 'mismatch — the split is not as planned, distrust the results' : 'as planned'}{' '}
          (χ² {r.srm.chi_square.toFixed(2)}, p {pValue(r.srm.p)}).
        </li>
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  )
}
