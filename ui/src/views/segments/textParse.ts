// The text form back into the JSON tree (internal/segment/text_parse.go).
// Only the syntax is checked here; the server validates the tree (kinds,
// operators, literals) when it previews or saves it.

import { describe, TokenReader } from './textReader'
import type { SegNode } from './types'

type Obj = Record<string, unknown>

const NO_VALUE = new Set(['exists', 'not_exists', 'day_of_year'])

/** Parses the text form into the definition's JSON; a syntax error is a TextSyntaxError naming line and column. */
export function parseText(src: string): SegNode {
  const p = new Parser(src)
  const tree = p.expr()
  const t = p.peek()
  if (t.kind !== 'eof') p.fail(t, `unexpected ${describe(t)} after the end of the condition; join conditions with and/or`)
  return tree as SegNode
}

class Parser extends TokenReader {
  expr(): unknown {
    return this.binary('or', () => this.binary('and', () => this.unary()))
  }

  binary(word: string, operand: () => unknown): unknown {
    const first = operand()
    const t = this.peek()
    if (!(t.kind === 'ident' && t.text === word)) return first
    const list = [first]
    while (this.accept(word)) list.push(operand())
    return { [word]: list }
  }

  unary(): unknown {
    if (this.accept('not')) return { not: this.unary() }
    if (this.accept('(')) {
      const n = this.expr()
      this.expect(')')
      return n
    }
    return this.atom()
  }

  atom(): unknown {
    const t = this.next()
    if (t.kind !== 'ident') this.fail(t, `expected a condition, found ${describe(t)}`)
    const b: Obj = {}
    switch (t.text) {
      case 'everyone':
        return { everyone: true }
      case 'trait':
        b.path = this.path()
        this.test(b)
        break
      case 'performed':
        b.event = this.str('event name')
        this.filters(b, 'where')
        this.count(b)
        this.window(b)
        break
      case 'first_performed':
      case 'last_performed':
        b.event = this.str('event name')
        this.filters(b, 'where')
        this.filters(b, 'has')
        if (this.accept('time')) this.test((b.time = {}) as Obj)
        break
      case 'sequence':
        this.sequence(b)
        break
      case 'aggregate':
        b.fn = this.word('aggregate function')
        if (!(this.peek().kind === 'ident' && this.peek().text === 'of')) b.property = this.path()
        this.expect('of')
        b.event = this.str('event name')
        this.filters(b, 'where')
        this.window(b)
        this.test(b)
        break
      case 'in_segment':
        b.match = this.word('match (any, all, none)')
        b.ids = this.literal()
        break
      case 'message':
        b.event = this.word('message event')
        for (const k of ['channel', 'template', 'journey']) if (this.accept(k)) b[k] = this.str(k)
        this.count(b)
        this.window(b)
        break
      case 'subscription':
        b.group = this.str('subscription group')
        b.state = this.word('state')
        break
      case 'random_bucket': {
        const n = this.next()
        if (n.kind !== 'number') this.fail(n, `expected a percentage, found ${describe(n)}`)
        b.percent = Number(n.text)
        if (this.accept('salt')) b.salt = this.str('salt')
        break
      }
      case 'channel':
        for (const k of ['channels', 'sources']) if (this.accept(k)) b[k] = this.literal()
        this.window(b)
        break
      default:
        this.fail(t, `unknown condition "${t.text}"`)
    }
    return { [t.text]: b }
  }

  sequence(b: Obj): void {
    const steps: Obj[] = []
    do {
      const st: Obj = {}
      if (steps.length > 0 && this.accept('not')) st.not = true
      st.event = this.str('step event name')
      this.filters(st, 'where')
      steps.push(st)
    } while (this.accept('then'))
    b.steps = steps
    if (this.accept('within')) b.within = this.duration()
  }

  filters(b: Obj, keyword: string): void {
    if (!this.accept(keyword)) return
    const list: Obj[] = []
    do {
      const path = this.path()
      const f: Obj = path.startsWith('context.') ? { context: path.slice(8) } : { property: path.replace(/^properties\./, '') }
      this.test(f)
      list.push(f)
    } while (this.accept(','))
    b[keyword] = list
  }

  count(b: Obj): void {
    if (!this.accept('count')) return
    const op = this.op()
    const t = this.next()
    if (t.kind !== 'number') this.fail(t, `expected a count, found ${describe(t)}`)
    b.count = { op, value: Number(t.text) }
  }

  window(b: Obj): void {
    const w: Obj = {}
    if (this.accept('within')) w.within = this.duration()
    else if (this.accept('from')) {
      w.from_ago = this.duration()
      this.expect('ago')
      this.expect('to')
      w.to_ago = this.duration()
      this.expect('ago')
    } else {
      for (const k of ['after', 'before']) if (this.accept(k)) w[k] = this.str('timestamp')
      if (Object.keys(w).length === 0) return
    }
    b.window = w
  }

  test(m: Obj): void {
    const op = this.op()
    m.op = op
    if (op === 'between') {
      const lo = this.literal()
      this.expect('and')
      m.value = [lo, this.literal()]
    } else if (!NO_VALUE.has(op)) m.value = this.literal()
    if (op === 'day_of_year' && this.accept('tz')) m.tz = this.str('time zone')
  }
}
