// Field paths in the server's own notation ("wait.branches[0].next"), read
// and written immutably: setAt copies only the objects on the path.

type Key = string | number

/** "wait.branches[0].next" → ["wait", "branches", 0, "next"]. */
export function parsePath(path: string): Key[] {
  const keys: Key[] = []
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      keys.push(part)
      continue
    }
    if (m[1]) keys.push(m[1])
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]))
  }
  return keys
}

export function getAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const k of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<Key, unknown>)[k]
  }
  return cur
}

/** A copy of obj with value at path (undefined deletes the field); missing objects on the way are created. */
export function setAt<T>(obj: T, path: string, value: unknown): T {
  return setKeys(obj, parsePath(path), value) as T
}

function setKeys(obj: unknown, keys: Key[], value: unknown): unknown {
  const [k, ...rest] = keys
  if (k === undefined) return value
  if (typeof k === 'number') {
    const arr = Array.isArray(obj) ? [...(obj as unknown[])] : []
    arr[k] = setKeys(arr[k], rest, value)
    return arr
  }
  const copy: Record<string, unknown> = obj && typeof obj === 'object' && !Array.isArray(obj) ? { ...obj } : {}
  const v = setKeys(copy[k], rest, value)
  if (v === undefined) delete copy[k]
  else copy[k] = v
  return copy
}
