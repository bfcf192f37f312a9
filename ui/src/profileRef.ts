// Turns what someone types in the profile search into a profile reference the
// API understands (docs/api.md): `type:value` or a profile id.

/** The identifier types people search by most; any other `type:value` is passed through. */
export const KNOWN_TYPES = ['email', 'user_id', 'phone', 'anonymous_id'] as const

export type ParsedRef =
  | { kind: 'empty' }
  | { kind: 'ref'; ref: string }
  | { kind: 'trait'; path: string; value: string }
  | { kind: 'invalid'; message: string }

export const REF_HELP =
  'Enter an email, a phone number starting with +, user_id:…, anonymous_id:…, any type:value, a profile id, ' +
  'or a trait as path = value (address.city = Denver).'

const TRAIT = /^([A-Za-z_$][A-Za-z0-9_.$-]*)\s*=\s*(.*)$/s

const BARE_EMAIL = /^[^\s@:]+@[^\s@]+$/
const TYPED = /^([A-Za-z][A-Za-z0-9_.-]*):(.*)$/s
const PHONE = /^\+[0-9\s().-]+$/

export function parseProfileRef(input: string): ParsedRef {
  const s = input.trim()
  if (s === '') return { kind: 'empty' }

  const trait = TRAIT.exec(s)
  if (trait) {
    const value = (trait[2] ?? '').trim()
    if (value === '') return { kind: 'invalid', message: `Type a value after "${trait[1] ?? ''} =".` }
    return { kind: 'trait', path: trait[1] ?? '', value }
  }

  const typed = TYPED.exec(s)
  if (typed) {
    const type = typed[1] ?? ''
    const value = (typed[2] ?? '').trim()
    // The well-known types are matched case-insensitively; custom types
    // (crm_id:…) pass through as typed.
    const known = KNOWN_TYPES.find((t) => t === type.toLowerCase())
    if (value === '') return { kind: 'invalid', message: `Type a value after "${type}:".` }
    return { kind: 'ref', ref: `${known ?? type}:${value}` }
  }
  if (BARE_EMAIL.test(s)) return { kind: 'ref', ref: `email:${s}` }
  if (s.startsWith('+')) {
    if (!PHONE.test(s) || !/\d/.test(s)) return { kind: 'invalid', message: 'A phone number has digits after the +, e.g. +13035550142.' }
    return { kind: 'ref', ref: `phone:${s}` }
  }
  if (/\s/.test(s)) {
    return { kind: 'invalid', message: `Profiles are found by an identifier, not by name. ${REF_HELP}` }
  }
  return { kind: 'ref', ref: s }
}
