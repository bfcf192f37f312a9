/** A journey or segment status as a labelled badge (the colour is never the only cue). */
export function StatusBadge({ status }: { status: string }) {
  const known = ['live', 'draft', 'paused', 'stopped', 'defined', 'backfilling', 'active', 'exited', 'completed']
  const cls = known.includes(status) ? `badge badge-${status}` : 'badge'
  return <span className={cls}>{status}</span>
}
