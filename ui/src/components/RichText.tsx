import { Fragment } from 'react'

/** Renders text with `backtick` spans as <code>, for commands in help texts. */
export function RichText({ text }: { text: string }) {
  const parts = text.split('`')
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}
    </>
  )
}
