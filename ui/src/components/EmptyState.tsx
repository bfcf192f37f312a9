import type { ReactNode } from 'react'

interface Props {
  title: string
  children: ReactNode
}

/** What a panel shows when there is nothing yet, and what to do about it. */
export function EmptyState({ title, children }: Props) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      <div className="empty-body">{children}</div>
    </div>
  )
}
