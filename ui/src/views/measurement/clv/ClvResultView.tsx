import { useMemo } from 'react'
import { Link } from 'react-router'
import { Panel } from '../../../components/Panel'
import { TableWrap } from '../../../components/TableWrap'
import { Chart } from '../Chart'
import { amount, count, dec, param, pct } from '../format'
import type { ClvResult, FitReport } from '../typesModels'
import { ApplyTraits } from './ApplyTraits'
import { clvOption, distributionOption, type ClvForm } from './request'

function Fit({ fit }: { fit: FitReport }) {
  return (
    <>
      log-likelihood {dec(fit.log_likelihood)}, {fit.converged ? 'converged' : 'did not converge'} in{' '}
      {count(fit.iterations)} iterations
    </>
  )
}

/** The fitted models, the population totals, the top customers and the Apply as traits action. */
export function ClvResultView({ result: res, form }: { result: ClvResult; form: ClvForm }) {
  const option = useMemo(() => clvOption(res), [res])
  const spread = useMemo(() => distributionOption(res), [res])
  const m = res.bg_nbd
  const gg = res.gamma_gamma
  return (
    <Panel title="Predictions">
      <dl className="facts m-facts">
        <div>
          <dt>Purchase frequency and dropout (BG/NBD)</dt>
          <dd>
            r {param(m.r)}, α {param(m.alpha)}, a {param(m.a)}, b {param(m.b)}
            <span className="cell-note">
              <Fit fit={res.bg_nbd_fit} />
            </span>
          </dd>
        </div>
        <div>
          <dt>Spend (Gamma-Gamma)</dt>
          <dd>
            {gg && res.gamma_gamma_fit ? (
              <>
                p {param(gg.p)}, q {param(gg.q)}, γ {param(gg.gamma)}
                <span className="cell-note">
                  <Fit fit={res.gamma_gamma_fit} />
                </span>
              </>
            ) : (
              'No spend model (see the notes)'
            )}
          </dd>
        </div>
        <div>
          <dt>Customers</dt>
          <dd>
            {count(res.population.customers)}
            <span className="cell-note">
              {count(res.population.repeaters)} bought again; {count(res.transactions)} purchases
            </span>
          </dd>
        </div>
        <div>
          <dt>Next {dec(res.horizon_weeks)} weeks</dt>
          <dd>
            {dec(res.population.expected_purchases)} purchases
            <span className="cell-note">worth {amount(res.population.total_clv)} (discounted)</span>
          </dd>
        </div>
      </dl>
      <div className="m-callout">
        <ApplyTraits form={form} customers={res.population.customers} />
      </div>
      <h3 className="m-subhead">Distribution over every customer</h3>
      <Chart option={spread} label="How customers spread over the predicted value and over P(alive)" />
      <h3 className="m-subhead">Top customers</h3>
      <Chart option={option} label="Predicted value of the top customers" size="tall" />
      <TableWrap label="Top customers by predicted value">
        <table>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col" className="num">Repeat purchases</th>
              <th scope="col" className="num">P(alive)</th>
              <th scope="col" className="num">Expected purchases</th>
              <th scope="col" className="num">Expected spend</th>
              <th scope="col" className="num">Predicted CLV</th>
            </tr>
          </thead>
          <tbody>
            {res.top.map((c) => (
              <tr key={c.profile_id}>
                <th scope="row">
                  <Link to={`/profiles/${encodeURIComponent(c.profile_id)}`}>
                    <code>{c.profile_id}</code>
                  </Link>
                </th>
                <td className="num">{count(c.x)}</td>
                <td className="num">{pct(c.p_alive)}</td>
                <td className="num">{dec(c.expected_purchases)}</td>
                <td className="num">{gg ? amount(c.expected_spend) : '—'}</td>
                <td className="num">{gg ? amount(c.clv) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {(res.notes.length > 0 || res.missing_revenue > 0) && (
        <ul className="m-notes">
          {res.missing_revenue > 0 && (
            <li>{count(res.missing_revenue)} purchases had no numeric {res.revenue} and count as 0.</li>
          )}
          {res.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
