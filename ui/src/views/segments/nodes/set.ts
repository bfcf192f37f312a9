/** o with key set to v, or without key when v is undefined or '' (optional keys are left out, as in canonical JSON). */
export function set<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): T {
  const next = { ...o }
  if (v === undefined || v === '') delete next[key]
  else next[key] = v
  return next
}
