import { Link } from 'react-router'
import { TableWrap } from '../../components/TableWrap'
import { count, pct } from '../measurement/format'
import { byChannel, channelLabel, maxCustomers, shade, type JourneyMapResult, type MapCell, type Pick } from './model'

interface Props {
  map: JourneyMapResult
  picked: Pick | undefined
  onPick: (p: Pick) => void
}

const same = (a: Pick | undefined, b: Pick) =>
  a !== undefined && a.stage === b.stage && a.row?.channel === b.row?.channel && a.row?.touchpoint === b.row?.touchpoint

/**
 * The map as a table: lifecycle stages across, touchpoints grouped by channel
 * down. Every cell is a button (keyboard reachable) showing its customers and
 * the share who moved on to a later stage, shaded by volume.
 */
export function MapGrid({ map, picked, onPick }: Props) {
  const max = maxCustomers(map.rows)
  const cellButton = (c: MapCell, p: Pick, what: string) => {
    if (c.customers === 0) return <span className="jm-none" aria-label={`${what}: no customers`}>·</span>
    return (
      <button
        type="button"
        className="jm-cell"
        aria-pressed={same(picked, p)}
        aria-label={`${what}: ${count(c.customers)} customers, ${pct(c.advance_rate)} moved on to a later stage`}
        style={{ backgroundColor: `rgba(10, 88, 168, ${shade(c.customers, max)})` }}
        onClick={() => onPick(p)}
      >
        <span className="jm-count">{count(c.customers)}</span>
        <span className="jm-rate">{pct(c.advance_rate)} on</span>
      </button>
    )
  }
  return (
    <TableWrap label="Journey map: touchpoints by lifecycle stage">
      <table className="jm-grid">
        <thead>
          <tr>
            <th scope="col">Touchpoint</th>
            {map.stages.map((s) => (
              <th scope="col" key={s.name} className="jm-stage">
                <span className="jm-stage-name">
                  {map.segments[s.name] ? (
                    <Link to={`/segments/${encodeURIComponent(map.segments[s.name] ?? '')}`} title="Open the stage’s segment">
                      {s.name}
                    </Link>
                  ) : (
                    s.name
                  )}
                </span>
              </th>
            ))}
          </tr>
          <tr className="jm-totals">
            <th scope="row">All touchpoints</th>
            {map.stages.map((s) => (
              <td key={s.name}>{cellButton(s, { stage: s.name }, `All touchpoints in ${s.name}`)}</td>
            ))}
          </tr>
        </thead>
        {byChannel(map.rows).map((g) => (
          <tbody key={g.channel}>
            <tr className="jm-channel">
              <th scope="rowgroup" colSpan={map.stages.length + 1}>
                {channelLabel(g.channel)}
              </th>
            </tr>
            {g.rows.map((r) => (
              <tr key={`${r.channel}/${r.touchpoint}`}>
                <th scope="row">{r.touchpoint}</th>
                {r.cells.map((c, i) => {
                  const stage = map.stages[i]?.name ?? ''
                  return (
                    <td key={stage}>
                      {cellButton(
                        c,
                        { stage, row: { channel: r.channel, touchpoint: r.touchpoint } },
                        `${channelLabel(r.channel)} ${r.touchpoint} in ${stage}`,
                      )}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </TableWrap>
  )
}
