import { formatList, formatScalar, parseList, parseScalar } from '../literals'
import { OPERAND } from '../ops'
import type { Literal } from '../types'
import { DateInput } from './DateInput'
import { DurationInput } from './DurationInput'
import { LiteralInput } from './LiteralInput'

type Scalar = string | number | boolean

interface Props {
  id?: string
  op: string
  value: Literal | undefined
  onChange: (v: Literal) => void
  /** The field's label, to name the second control of a pair ("… unit", "… high"). */
  label: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

const asScalar = (v: Literal | undefined): Scalar => (v === undefined || Array.isArray(v) ? '' : v)
const asList = (v: Literal | undefined): Scalar[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v])

/** The literal an operator takes: text, a number, a list, a range, a date or a duration. */
export function ValueInput({ op, value, onChange, label, ...a11y }: Props) {
  switch (OPERAND[op]) {
    case 'none':
      return null
    case 'string':
    case 'regex':
      return (
        <input
          {...a11y}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={typeof value === 'string' ? value : String(value ?? '')}
          placeholder={OPERAND[op] === 'regex' ? '^gold|silver$' : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    case 'list':
      return (
        <LiteralInput {...a11y} value={asList(value)} parse={parseList} format={formatList} onChange={onChange} placeholder="gold, silver, 3" />
      )
    case 'range': {
      const [lo, hi] = asList(value)
      return (
        <span className="seg-range">
          <LiteralInput {...a11y} value={lo ?? ''} parse={parseScalar} format={formatScalar} onChange={(v) => onChange([v, hi ?? ''])} />
          <span aria-hidden="true">and</span>
          <LiteralInput
            aria-label={`${label} (high)`}
            value={hi ?? ''}
            parse={parseScalar}
            format={formatScalar}
            onChange={(v) => onChange([lo ?? '', v])}
          />
        </span>
      )
    }
    case 'time':
      return <DateInput {...a11y} value={typeof value === 'string' ? value : ''} onChange={onChange} />
    case 'duration':
      return <DurationInput {...a11y} value={typeof value === 'string' ? value : ''} onChange={onChange} unitLabel={`${label} unit`} />
    default:
      return (
        <LiteralInput
          {...a11y}
          value={asScalar(value)}
          parse={parseScalar}
          format={formatScalar}
          onChange={onChange}
          inputMode={OPERAND[op] === 'number' ? 'decimal' : undefined}
          placeholder={OPERAND[op] === 'number' ? '100' : 'gold'}
        />
      )
  }
}
