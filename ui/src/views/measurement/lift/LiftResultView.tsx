import { useMemo } from 'react'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { count, pct, pctInterval, points, pointsInterval, pValue, signedPct } from '../format'
import type { LiftResult } from '../types'
import { rateOption } from './request'

/** The two arms with rates and intervals, the relative lift, P(exposed better) and the sample-ratio check. */
export function LiftResultView({ result: res }: { result: LiftResult }) {
  const arms = [
    { label: 'Holdout', arm: res.holdout },
    { label: 'Exposed', arm: res.exposed },
  ]
  const option = useMemo(() => rateOption(arms.map((a) => ({ label: a.label, rate: a.arm.rate, ci: a.arm.ci }))), [res])
  const t = res.test
  const better = res.bayes?.p_best[1]
  const unit = res.unit === 'customer' ? 'Customers' : 'Records'
  return (
    <Panel title="Exposed against holdout">
      <dl className="counters m-facts">
        <div className="counter">
          <dt>Relative lift</dt>
          <dd>
            <span className="counter-value">{signedPct(t?.lift?.estimate)}</span>
            <span className="counter-note">95% interval {pctInterval(t?.lift?.ci)}</span>
          </dd>
        </div>
        <div className="counter">
          <dt>Difference in rate</dt>
          <dd>
            <span className="counter-value">{points(t?.diff)}</span>
            <span className="counter-note">
              {pointsInterval(t?.diff_ci)}, p {pValue(t?.p)}
            </span>
          </dd>
        </div>
        <div className="counter">
          <dt>P(exposed better)</dt>
          <dd>
            <span className="counter-value">{pct(better)}</span>
            <span className="counter-note">Bayesian, uniform prior</span>
          </dd>
        </div>
        <div className="counter">
          <dt>Sample ratio</dt>
          <dd>
            <span className={res.srm?.mismatch ? 'counter-value m-bad' : 'counter-value'}>
              {!res.srm ? 'Not checked' : res.srm.mismatch ? 'Mismatch' : 'As planned'}
            </span>
            <span className="counter-note">
              {res.srm ? `χ² ${res.srm.chi_square.toFixed(2)}, p ${pValue(res.srm.p)}` : 'Give the planned holdout share'}
            </span>
          </dd>
        </div>
      </dl>
      <Chart option={option} label="Conversion rate of the holdout and the exposed arm with 95% intervals" size="short" />
      <TableWrap label="Arms">
        <table>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" className="num">Customers</th>
              <th scope="col" className="num">{unit}</th>
              <th scope="col" className="num">Conversions</th>
              <th scope="col" className="num">Rate</th>
              <th scope="col" className="num">95% interval</th>
            </tr>
          </thead>
          <tbody>
            {arms.map(({ label, arm }) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{count(arm.customers)}</td>
                <td className="num">{count(arm.units)}</td>
                <td className="num">{count(arm.conversions)}</td>
                <td className="num">{pct(arm.rate)}</td>
                <td className="num">{pctInterval(arm.ci)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul className="m-notes">
        <li>
          Left out: {count(res.excluded.after_conversion)} records after a first conversion,{' '}
          {count(res.excluded.open_window)} whose {res.window} window was still open on {res.horizon.slice(0, 10)}.
        </li>
        {(res.notes ?? []).map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </Panel>
  )
}
