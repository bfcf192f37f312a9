import { useEffect, useRef, type ReactNode } from 'react'

interface Props {
  title: string
  /** Shown next to the title (buttons, a status). */
  actions?: ReactNode
  /** A line under the title. */
  lead?: ReactNode
  children: ReactNode
}

/**
 * A view: sets the document title and moves focus to the heading when the view
 * opens, so screen-reader and keyboard users land on the new content.
 */
export function Page({ title, actions, lead, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · Cairn`
    heading.current?.focus({ preventScroll: true })
  }, [title])
  return (
    <>
      <header className="page-header">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {lead && <p className="lead">{lead}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </>
  )
}
