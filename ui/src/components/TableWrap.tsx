import type { ReactNode } from 'react'

/**
 * A horizontally scrollable container for a wide table; focusable so keyboard
 * users can scroll it, and named for screen readers.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}
