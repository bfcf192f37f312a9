import { useEffect, useState, type InputHTMLAttributes } from 'react'

type InputAttrs = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>

interface Props<T> extends InputAttrs {
  value: T
  parse: (text: string) => T
  format: (v: T) => string
  onChange: (v: T) => void
}

/**
 * A text field for a typed value (a number, a list…). It keeps what is typed
 * ("1." on the way to "1.5") and reports the parsed value; a value changed
 * from outside replaces the text.
 */
export function LiteralInput<T>({ value, parse, format, onChange, ...rest }: Props<T>) {
  const [text, setText] = useState(() => format(value))
  useEffect(() => {
    setText((t) => (JSON.stringify(parse(t)) === JSON.stringify(value) ? t : format(value)))
    // parse and format are pure: only an outside change of value matters.
  }, [JSON.stringify(value)])
  return (
    <input
      type="text"
      autoComplete="off"
      spellCheck={false}
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        onChange(parse(e.target.value))
      }}
    />
  )
}
