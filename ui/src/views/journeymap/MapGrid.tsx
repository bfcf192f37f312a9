import { useId } from 'react'
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
 * the share who moved on to a later stage, shaded by volume. A cell is named
 * by its channel, touchpoint and stage headers followed by what it shows
 * ("Web Order Completed consideration 45 97.8% on"), and described by the
 * legend.
 */
export function MapGrid({ map, picked, onPick }: Props) {
  const max = maxCustomers(map.rows)
  const id = useId()
  const col = (i: number) => `${id}-col-${i}`
  const cellButton = (c: MapCell, p: Pick, key: string, headers: string[]) => {
    if (c.customers === 0) return <span className="jm-none">·</span>
    const self = `${id}-cell-${key}`
    return (
      <button
        type="button"
        id={self}
        className="jm-cell"
        aria-pressed={same(picked, p)}
        aria-labelledby={[...headers, self].join(' ')}
        aria-describedby={`${id}-legend`}
        style={{ backgroundColor: `rgba(10, 88, 168, ${shade(c.customers, max)})` }}
        onClick={() => onPick(p)}
      >
        <span className="jm-count">{count(c.customers)}</span>{' '}
        <span className="jm-rate">{pct(c.advance_rate)} on</span>
      </button>
    )
  }
  return (
    <TableWrap label="Journey map: touchpoints by lifecycle stage">
      <p className="muted" id={`${id}-legend`}>
        Each cell: customers who had the touchpoint in that stage, and the share of them who moved on to a later stage
        within {map.window}.
      </p>
      <table className="jm-grid">
        <thead>
          <tr>
            <th scope="col">Touchpoint</th>
            {map.stages.map((s, i) => (
              <th scope="col" key={s.name} className="jm-stage" id={col(i)}>
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
            <th scope="row" id={`${id}-all`}>
              All touchpoints
            </th>
            {map.stages.map((s, i) => (
              <td key={s.name}>{cellButton(s, { stage: s.name }, `all-${i}`, [`${id}-all`, col(i)])}</td>
            ))}
          </tr>
        </thead>
        {byChannel(map.rows).map((g, gi) => (
          <tbody key={g.channel}>
            <tr className="jm-channel">
              <th scope="rowgroup" colSpan={map.stages.length + 1} id={`${id}-g${gi}`}>
                {channelLabel(g.channel)}
              </th>
            </tr>
            {g.rows.map((r, ri) => (
              <tr key={`${r.channel}/${r.touchpoint}`}>
                <th scope="row" id={`${id}-g${gi}r${ri}`}>
                  {r.touchpoint}
                </th>
                {r.cells.map((c, i) => {
                  const stage = map.stages[i]?.name ?? ''
                  return (
                    <td key={stage}>
                      {cellButton(c, { stage, row: { channel: r.channel, touchpoint: r.touchpoint } }, `g${gi}r${ri}c${i}`, [
                        `${id}-g${gi}`,
                        `${id}-g${gi}r${ri}`,
                        col(i),
                      ])}
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
