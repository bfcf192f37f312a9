import { describe, expect, it } from 'vitest'
import { parseProfileRef } from './profileRef'

describe('parseProfileRef', () => {
  it.each([
    ['email:pia@nto.example', 'email:pia@nto.example'],
    ['  Email:Pia@NTO.example ', 'email:Pia@NTO.example'],
    ['user_id:u-123', 'user_id:u-123'],
    ['USER_ID:u-123', 'user_id:u-123'],
    ['phone:(303) 555-0142', 'phone:(303) 555-0142'],
    ['anonymous_id:3f2a-77', 'anonymous_id:3f2a-77'],
    ['crm_id:A-77', 'crm_id:A-77'],
    ['pia@nto.example', 'email:pia@nto.example'],
    ['+13035550142', 'phone:+13035550142'],
    ['+1 (303) 555-0142', 'phone:+1 (303) 555-0142'],
    ['p_abcdefghijklmnopqrstu', 'p_abcdefghijklmnopqrstu'],
  ])('%s → %s', (input, ref) => {
    expect(parseProfileRef(input)).toEqual({ kind: 'ref', ref })
  })

  it.each([
    ['address.city = Denver', 'address.city', 'Denver'],
    ['plan=pro', 'plan', 'pro'],
    ['lifetime_revenue = 500', 'lifetime_revenue', '500'],
  ])('%s is a trait search', (input, path, value) => {
    expect(parseProfileRef(input)).toEqual({ kind: 'trait', path, value })
  })

  it('is empty for blank input', () => {
    expect(parseProfileRef('   ')).toEqual({ kind: 'empty' })
  })

  it.each([['email:'], ['user_id:  '], ['+'], ['+abc'], ['Pia Larsen'], ['plan = ']])('rejects %j with a message', (input) => {
    const r = parseProfileRef(input)
    expect(r.kind).toBe('invalid')
    if (r.kind === 'invalid') expect(r.message.length).toBeGreaterThan(10)
  })
})
