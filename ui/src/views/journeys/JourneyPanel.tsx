import { EntryForm } from './forms/EntryForm'
import { SelectField, TextField } from './forms/fields'
import type { Refs } from './forms/formTypes'
import { opt, str } from './forms/formTypes'
import { ExitCriteriaForm, GoalsForm } from './forms/GoalsForm'
import { entrySlot } from './graph'
import { NextSteps } from './NextSteps'
import { isObject, type JourneyDefinition } from './types'

interface Props {
  def: JourneyDefinition
  refs: Refs
  /** Sets a field of the definition by path ("name", "entry.event.name", "goals"). */
  onSet: (path: string, value: unknown) => void
  onConnect: (slot: string, target: string) => void
}

/** The entry card's settings: what starts the journey and its first step. */
export function EntryPanel({ def, refs, onSet, onConnect }: Props) {
  return (
    <>
      <EntryForm body={def.entry ?? {}} set={(path, v) => onSet(`entry.${path}`, v)} refs={refs} />
      <NextSteps slots={[{ ...entrySlot(def), label: '' }]} targets={refs.nodeIds} onConnect={onConnect} />
    </>
  )
}

const MODES = [
  { value: '', label: 'Never again (default)' },
  { value: 'after_exit', label: 'After leaving it' },
  { value: 'anytime', label: 'Any time, even while in it' },
]

/** The journey as a whole: name, goals, exit criteria and re-entry. */
export function JourneyPanel({ def, refs, onSet }: Props) {
  const re = isObject(def.reentry) ? def.reentry : {}
  return (
    <>
      <TextField label="Journey name" value={def.name} onChange={(v) => onSet('name', v)} />
      <TextField label="Description" value={str(def.description)} onChange={(v) => onSet('description', opt(v))} />
      <fieldset className="jr-group">
        <legend>Goals</legend>
        <GoalsForm value={def.goals} onChange={(v) => onSet('goals', v)} refs={refs} />
      </fieldset>
      <fieldset className="jr-group">
        <legend>Exit criteria</legend>
        <ExitCriteriaForm value={def.exit_criteria} onChange={(v) => onSet('exit_criteria', v)} refs={refs} />
      </fieldset>
      <fieldset className="jr-group">
        <legend>Re-entry</legend>
        <SelectField label="A customer may enter again" value={str(re.mode)} options={MODES} onChange={(v) => onSet('reentry.mode', opt(v))} />
        {str(re.mode) && (
          <TextField label="At least this long between entries" value={str(re.min_interval)} onChange={(v) => onSet('reentry.min_interval', opt(v))} hint="e.g. 1d, 90d" />
        )}
      </fieldset>
    </>
  )
}
