// Tokens of the text form (internal/segment/text_lex.go), so that text typed
// in "Edit as text" can go back into the visual builder.

export type TokKind = 'eof' | 'ident' | 'string' | 'number' | 'duration' | 'punct'

export interface Token {
  kind: TokKind
  /** ident, punct, number or duration text; the decoded string. */
  text: string
  pos: number
}

/** A syntax error at a line and column, worded like the server's. */
export class TextSyntaxError extends Error {
  constructor(src: string, pos: number, msg: string) {
    let line = 1
    let col = 1
    for (let i = 0; i < pos && i < src.length; i++) {
      if (src[i] === '\n') {
        line++
        col = 1
      } else col++
    }
    super(`line ${line}, column ${col}: ${msg}`)
    this.name = 'TextSyntaxError'
  }
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
const isLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c)
const isIdentStart = (c: string | undefined) => isLetter(c) || c === '_' || c === '$'
const isIdentPart = (c: string | undefined) => isIdentStart(c) || isDigit(c) || c === '.' || c === '-'

export function lex(src: string): Token[] {
  const toks: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i] as string
    if (' \t\n\r'.includes(c)) {
      i++
    } else if (c === '"') {
      let j = i + 1
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1
      if (j >= src.length) throw new TextSyntaxError(src, i, 'unterminated string; close it with "')
      let s: string
      try {
        s = JSON.parse(src.slice(i, j + 1)) as string
      } catch {
        throw new TextSyntaxError(src, i, 'invalid string literal; use JSON escapes such as \\" and \\n')
      }
      toks.push({ kind: 'string', text: s, pos: i })
      i = j + 1
    } else if (isDigit(c) || (c === '-' && isDigit(src[i + 1]))) {
      let j = i + 1
      const exp = (k: number) => src[k] === 'e' || src[k] === 'E'
      while (j < src.length && (isDigit(src[j]) || src[j] === '.' || exp(j) || ((src[j] === '+' || src[j] === '-') && exp(j - 1)))) j++
      let kind: TokKind = 'number'
      if (j < src.length && isLetter(src[j]) && !exp(j - 1)) {
        kind = 'duration'
        while (j < src.length && (isLetter(src[j]) || isDigit(src[j]) || src[j] === '.')) j++
      }
      const text = src.slice(i, j)
      if (kind === 'number' && !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
        throw new TextSyntaxError(src, i, `invalid number "${text}"; write numbers as in JSON: 100, -2.5, 1e6`)
      }
      toks.push({ kind, text, pos: i })
      i = j
    } else if (isIdentStart(c)) {
      let j = i + 1
      while (j < src.length && isIdentPart(src[j])) j++
      toks.push({ kind: 'ident', text: src.slice(i, j), pos: i })
      i = j
    } else {
      const two = src.slice(i, i + 2)
      if (two === '!=' || two === '>=' || two === '<=') {
        toks.push({ kind: 'punct', text: two, pos: i })
        i += 2
      } else if ('=<>()[],'.includes(c)) {
        toks.push({ kind: 'punct', text: c, pos: i })
        i++
      } else {
        throw new TextSyntaxError(src, i, `unexpected character "${c}"; quote names with spaces or symbols`)
      }
    }
  }
  toks.push({ kind: 'eof', text: '', pos: src.length })
  return toks
}
