/** The label selector lexer of apimachinery's labels package: identifiers, keywords and operators. */

export type Token =
  | 'Error'
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar'

export interface ScannedItem {
  tok: Token
  literal: string
}

const string2token: Record<string, Token> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  in: 'In',
  '<': 'LessThan',
  '!=': 'NotEquals',
  notin: 'NotIn',
  '(': 'OpenPar',
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch !== ''

/** Splits a selector into tokens; the last is always EndOfString. A NUL ends the input, as in Go. */
export function lex(input: string): ScannedItem[] {
  let pos = 0
  // read() returns '' at the end, standing in for Go's 0 byte.
  const read = (): string => {
    if (pos < input.length) {
      const ch = input[pos++]
      return ch === '\0' ? '' : ch
    }
    return ''
  }
  const unread = (): void => {
    pos--
  }

  const scanIdOrKeyword = (): ScannedItem => {
    let buf = ''
    for (;;) {
      const ch = read()
      if (ch === '') break
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        unread()
        break
      }
      buf += ch
    }
    return { tok: Object.hasOwn(string2token, buf) ? string2token[buf] : 'Identifier', literal: buf }
  }

  const scanSpecialSymbol = (): ScannedItem => {
    let last: ScannedItem | undefined
    let buf = ''
    for (;;) {
      const ch = read()
      if (ch === '') break
      if (!isSpecialSymbol(ch)) {
        unread()
        break
      }
      buf += ch
      if (Object.hasOwn(string2token, buf)) last = { tok: string2token[buf], literal: buf }
      else if (last) {
        unread()
        break
      }
    }
    return last ?? { tok: 'Error', literal: `error expected: keyword found '${buf}'` }
  }

  const items: ScannedItem[] = []
  for (;;) {
    let ch = read()
    while (ch !== '' && isWhitespace(ch)) ch = read()
    let item: ScannedItem
    if (ch === '') item = { tok: 'EndOfString', literal: '' }
    else {
      unread()
      item = isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword()
    }
    items.push(item)
    if (item.tok === 'EndOfString') return items
  }
}
