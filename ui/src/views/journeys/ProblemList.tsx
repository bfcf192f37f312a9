import { problemText } from './problems'
import { JOURNEY } from './problems'
import { nodeTitle } from './summary'
import type { JourneyDefinition, Problem } from './types'

interface Props {
  def: JourneyDefinition
  problems: Map<string, Problem[]>
  onSelect: (id: string | null) => void
}

/** Every problem of the last check, above the canvas; each opens the step it belongs to. */
export function ProblemList({ def, problems, onSelect }: Props) {
  const total = [...problems.values()].reduce((s, ps) => s + ps.length, 0)
  if (total === 0) return null
  return (
    <section className="jr-problems" role="alert" aria-label="Problems to fix before publishing">
      <p className="jr-problems-title">
        {total === 1 ? '1 problem' : `${total} problems`} to fix before publishing
      </p>
      <ul>
        {[...problems.entries()].flatMap(([id, ps]) =>
          ps.map((p, i) => (
            <li key={`${id}-${i}`}>
              <button type="button" className="link-button" onClick={() => onSelect(id === JOURNEY ? null : id)}>
                {id === JOURNEY ? 'Journey' : nodeTitle(def, id)}
              </button>
              {p.path && <code>{p.path}</code>} {problemText(p)}
            </li>
          )),
        )}
      </ul>
    </section>
  )
}
