import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import { errorField, fieldErrors } from './fields'

const err = (message: string, field?: string) =>
  new ApiError(400, field ? { code: 'bad_request', message, field } : { code: 'invalid', message })

describe('routing API errors to fields', () => {
  const names = ['steps[0]', 'steps[1]', 'steps[2]', 'window', 'breakdown', 'periods']

  it('uses the API’s field, a part of a control included', () => {
    const e = fieldErrors(err('bad filter', 'steps[1].where[0].op'), names)
    expect(e.of('steps[1]')).toBe('bad filter')
    expect(e.of('steps[0]')).toBeUndefined()
    expect(e.general).toBeUndefined()
  })

  it('reads the field from validation messages that name none', () => {
    expect(errorField(err('invalid analysis request: window 0s must be positive and at most 366 days'), names)).toBe('window')
    expect(errorField(err('invalid analysis request: periods 0 must be between 1 and 60'), names)).toBe('periods')
    expect(errorField(err('invalid analysis request: step 3 has no event'), names)).toBe('steps[2]')
    expect(errorField(err('invalid analysis request: a segment breakdown needs a segment id (segment:ID)'), names)).toBe('breakdown')
  })

  it('leaves the rest to the form', () => {
    const e = fieldErrors(err('2 analyses are running already'), names)
    expect(e.general).toBe('2 analyses are running already')
    expect(names.map(e.of).every((m) => m === undefined)).toBe(true)
    expect(fieldErrors(new Error('offline'), names).general).toBe('offline')
    expect(fieldErrors(undefined, names).general).toBeUndefined()
  })
})
