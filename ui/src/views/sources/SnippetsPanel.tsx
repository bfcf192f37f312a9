import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { Panel } from '../../components/Panel'
import { CopyButton } from './CopyButton'
import { snippets } from './snippets'

interface Props {
  /** The key the snippets carry; none when the source has no active key. */
  writeKey: string | undefined
  /** This server, as the browser reaches it. */
  origin?: string
}

/** Setup code for each official SDK, pointed at this server, as tabs with a copy button. */
export function SnippetsPanel({ writeKey, origin = window.location.origin }: Props) {
  const [active, setActive] = useState(0)
  const tabs = useRef<(HTMLButtonElement | null)[]>([])
  const code = useRef<HTMLPreElement>(null)
  const base = useId()

  if (!writeKey) {
    return (
      <Panel title="Send events">
        <EmptyState title="No active write key">
          <p>Add a write key above to get setup code for the SDKs.</p>
        </EmptyState>
      </Panel>
    )
  }

  const list = snippets(writeKey, origin)
  const current = list[active] ?? list[0]!

  function onKey(e: KeyboardEvent) {
    const last = list.length - 1
    const next = { ArrowRight: active + 1, ArrowLeft: active - 1, Home: 0, End: last }[e.key]
    if (next === undefined) return
    e.preventDefault()
    const i = next < 0 ? last : next > last ? 0 : next
    setActive(i)
    tabs.current[i]?.focus()
  }

  return (
    <Panel title="Send events">
      <p className="hint src-snippets-lead">
        Any unmodified Segment or RudderStack SDK works: set the write key and point its host at this server.
      </p>
      <div role="tablist" aria-label="SDK" className="src-tabs" onKeyDown={onKey}>
        {list.map((s, i) => (
          <button
            key={s.id}
            ref={(el) => {
              tabs.current[i] = el
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${s.id}`}
            aria-selected={i === active}
            aria-controls={`${base}-panel`}
            tabIndex={i === active ? 0 : -1}
            className="src-tab"
            onClick={() => setActive(i)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${current.id}`} className="src-tabpanel">
        {current.install && (
          <p className="src-install">
            Install: <code>{current.install}</code>
          </p>
        )}
        <div className="src-code">
          <pre ref={code} className="src-code-block" tabIndex={0} aria-label={`${current.label} setup code`}>
            <code>{current.code}</code>
          </pre>
          <CopyButton text={current.code} target={code} label={`Copy the ${current.label} snippet`} />
        </div>
      </div>
    </Panel>
  )
}
