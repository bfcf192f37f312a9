// Reading the tokens of the text form: the literals, names and operators
// the parser (textParse.ts) is built from.

import { lex, TextSyntaxError, type Token } from './textLex'

const SYMBOL_OPS: Record<string, string> = { '=': 'equals', '!=': 'not_equals', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' }

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input'
  return t.kind === 'string' ? `string ${JSON.stringify(t.text)}` : `"${t.text}"`
}

export class TokenReader {
  protected readonly toks: Token[]
  protected i = 0

  constructor(protected readonly src: string) {
    this.toks = lex(src)
  }

  peek(): Token {
    return this.toks[this.i] as Token
  }

  next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.i++
    return t
  }

  fail(t: Token, msg: string): never {
    throw new TextSyntaxError(this.src, t.pos, msg)
  }

  accept(w: string): boolean {
    const t = this.peek()
    if ((t.kind === 'ident' || t.kind === 'punct') && t.text === w) {
      this.i++
      return true
    }
    return false
  }

  expect(w: string): void {
    if (!this.accept(w)) this.fail(this.peek(), `expected "${w}", found ${describe(this.peek())}`)
  }

  op(): string {
    const t = this.next()
    if (t.kind === 'punct' && SYMBOL_OPS[t.text]) return SYMBOL_OPS[t.text] as string
    if (t.kind === 'ident') return t.text
    return this.fail(t, `expected an operator, found ${describe(t)}`)
  }

  literal(inList = false): unknown {
    const t = this.next()
    if (t.kind === 'string' || t.kind === 'duration') return t.text
    if (t.kind === 'number') return Number(t.text)
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) return t.text === 'true'
    if (t.kind === 'punct' && t.text === '[' && !inList) {
      const list: unknown[] = []
      if (this.accept(']')) return list
      do list.push(this.literal(true))
      while (this.accept(','))
      this.expect(']')
      return list
    }
    return this.fail(t, `expected a value, found ${describe(t)}`)
  }

  path(): string {
    const t = this.next()
    if (t.kind === 'ident' || t.kind === 'string') return t.text
    return this.fail(t, `expected a field path, found ${describe(t)}`)
  }

  str(what: string): string {
    const t = this.next()
    if (t.kind === 'string') return t.text
    return this.fail(t, `expected the ${what} as a quoted string, found ${describe(t)}`)
  }

  word(what: string): string {
    const t = this.next()
    if (t.kind === 'ident') return t.text
    return this.fail(t, `expected the ${what}, found ${describe(t)}`)
  }

  duration(): string {
    const t = this.next()
    if (t.kind === 'duration' || t.kind === 'string') return t.text
    return this.fail(t, `expected a duration, found ${describe(t)}`)
  }}
