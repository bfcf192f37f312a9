import type { Profile, TraitMeta } from '../../api'

export interface TraitRow {
  path: string
  value: unknown
  meta: TraitMeta
}

/** Reads the leaf at a dotted path of the nested traits object. */
export function traitAt(traits: Record<string, unknown>, path: string): unknown {
  let node: unknown = traits
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

/** One row per trait leaf, by path, with its value and provenance (trait_meta). */
export function traitRows(p: Profile): TraitRow[] {
  return Object.keys(p.trait_meta)
    .sort()
    .map((path) => ({ path, value: traitAt(p.traits, path), meta: p.trait_meta[path] as TraitMeta }))
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : ''
}

/** What to call the customer: their name, else an email, else the profile id. */
export function displayName(p: Profile): string {
  const t = p.traits
  const full = [str(t.first_name ?? t.firstName), str(t.last_name ?? t.lastName)].filter(Boolean).join(' ')
  return (
    str(t.name) ||
    full ||
    str(t.email) ||
    p.identities.find((i) => i.type === 'email')?.value ||
    p.identities.find((i) => i.type === 'user_id')?.value ||
    p.id
  )
}
