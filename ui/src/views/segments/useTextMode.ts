import { useState } from 'react'
import { TextSyntaxError } from './textLex'
import { parseText } from './textParse'
import { editable } from './tree'
import type { SegNode } from './types'

export interface TextMode {
  editing: boolean
  text: string
  setText: (t: string) => void
  /** A syntax error found when going back to the builder. */
  error: string | undefined
  /** Into text mode with the current text form; back to the builder with the text read into the tree. */
  toggle: (current: string) => void
}

/** "Edit as text": the text is the definition while it is on; leaving reads it back into the builder's tree. */
export function useTextMode(setTree: (t: SegNode) => void): TextMode {
  const [editing, setEditing] = useState(false)
  const [text, setTextState] = useState('')
  const [original, setOriginal] = useState('')
  const [error, setError] = useState<string>()

  function toggle(current: string) {
    if (!editing) {
      setTextState(current)
      setOriginal(current)
      setError(undefined)
      setEditing(true)
      return
    }
    if (text !== original) {
      try {
        setTree(editable(parseText(text)))
      } catch (err) {
        if (!(err instanceof TextSyntaxError)) throw err
        setError(`${err.message}. Fix it to go back to the builder.`)
        return
      }
    }
    setEditing(false)
  }

  return {
    editing,
    text,
    setText: (t) => {
      setTextState(t)
      setError(undefined)
    },
    error,
    toggle,
  }
}
