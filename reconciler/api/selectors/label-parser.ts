/**
 * The label selector parser of apimachinery's labels package, with its grammar and its error
 * messages:
 *
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= [!] KEY [ set-based | exact-match ]
 *   set-based   ::= ("in" | "notin") "(" VALUE {"," VALUE} ")"
 *   exact-match ::= ("=" | "==" | "!=" | ">" | "<") VALUE
 */
import { aggregateMessage, causeToString } from '../validation/field-error.js'
import { lex, type ScannedItem, type Token } from './label-lexer.js'
import { BINARY_OPERATORS, labelKeyError, newRequirement, type Operator, type Requirement } from './label-requirement.js'

/** A parse failure; `message` is the text Kubernetes gives. */
export class LabelParseError extends Error {}

type Context = 'KeyAndOperator' | 'Values'

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

class Parser {
  private position = 0
  constructor(private readonly items: ScannedItem[]) {}

  /** In the Values context the keywords `in` and `notin` are plain identifiers. */
  private view(item: ScannedItem, context: Context): [Token, string] {
    const tok = context === 'Values' && (item.tok === 'In' || item.tok === 'NotIn') ? 'Identifier' : item.tok
    return [tok, item.literal]
  }
  lookahead(context: Context): [Token, string] {
    return this.view(this.items[this.position], context)
  }
  consume(context: Context): [Token, string] {
    return this.view(this.items[this.position++], context)
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = []
    for (;;) {
      const [tok, lit] = this.lookahead('Values')
      if (tok === 'Identifier' || tok === 'DoesNotExist') {
        let r: Requirement
        try {
          r = this.parseRequirement()
        } catch (e) {
          if (e instanceof LabelParseError) throw new LabelParseError(`unable to parse requirement: ${e.message}`)
          throw e
        }
        reqs.push(r)
        const [t, l] = this.consume('Values')
        if (t === 'EndOfString') return reqs
        if (t === 'Comma') {
          const [t2, l2] = this.lookahead('Values')
          if (t2 !== 'Identifier' && t2 !== 'DoesNotExist') throw new LabelParseError(`found '${l2}', expected: identifier after ','`)
        } else throw new LabelParseError(`found '${l}', expected: ',' or 'end of string'`)
      } else if (tok === 'EndOfString') {
        return reqs
      } else throw new LabelParseError(`found '${lit}', expected: !, identifier, or 'end of string'`)
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator()
    let operator: Operator
    let values: string[]
    if (inferred) {
      operator = inferred
      values = []
    } else {
      operator = this.parseOperator()
      const set = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue()
      values = [...set].sort(byteOrder)
    }
    const { requirement, errors } = newRequirement(key, operator, values)
    if (errors.length) throw new LabelParseError(aggregateMessage(errors))
    return requirement
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let operator: Operator | undefined
    let [tok, literal] = this.consume('Values')
    if (tok === 'DoesNotExist') {
      operator = '!'
      ;[tok, literal] = this.consume('Values')
    }
    if (tok !== 'Identifier') throw new LabelParseError(`found '${literal}', expected: identifier`)
    const keyErr = labelKeyError(literal, undefined)
    if (keyErr) throw new LabelParseError(causeToString(keyErr))
    const [next] = this.lookahead('Values')
    if ((next === 'EndOfString' || next === 'Comma') && operator !== '!') operator = 'exists'
    return [literal, operator]
  }

  private parseOperator(): Operator {
    const [tok, lit] = this.consume('KeyAndOperator')
    const ops: Partial<Record<Token, Operator>> = {
      In: 'in',
      Equals: '=',
      DoubleEquals: '==',
      GreaterThan: 'gt',
      LessThan: 'lt',
      NotIn: 'notin',
      NotEquals: '!=',
    }
    const op = ops[tok]
    if (!op) throw new LabelParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`)
    return op
  }

  private parseValues(): Set<string> {
    let [tok, lit] = this.consume('Values')
    if (tok !== 'OpenPar') throw new LabelParseError(`found '${lit}' expected: '('`)
    ;[tok, lit] = this.lookahead('Values')
    if (tok === 'Identifier' || tok === 'Comma') {
      const s = this.parseIdentifiersList()
      // Upstream reports the literal seen after '(' here, not the one that is not ')'.
      if (this.consume('Values')[0] !== 'ClosedPar') throw new LabelParseError(`found '${lit}', expected: ')'`)
      return s
    }
    if (tok === 'ClosedPar') {
      this.consume('Values')
      return new Set([''])
    }
    throw new LabelParseError(`found '${lit}', expected: ',', ')' or identifier`)
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>()
    for (;;) {
      const [tok, lit] = this.consume('Values')
      if (tok === 'Identifier') {
        s.add(lit)
        const [tok2, lit2] = this.lookahead('Values')
        if (tok2 === 'Comma') continue
        if (tok2 === 'ClosedPar') return s
        throw new LabelParseError(`found '${lit2}', expected: ',' or ')'`)
      } else if (tok === 'Comma') {
        if (s.size === 0) s.add('') // "(,"
        const [tok2] = this.lookahead('Values')
        if (tok2 === 'ClosedPar') {
          s.add('') // ",)"
          return s
        }
        if (tok2 === 'Comma') s.add('') // ",,"
      } else throw new LabelParseError(`found '${lit}', expected: ',', or identifier`)
    }
  }

  private parseExactValue(): Set<string> {
    const [next] = this.lookahead('Values')
    if (next === 'EndOfString' || next === 'Comma') return new Set([''])
    const [tok, lit] = this.consume('Values')
    if (tok === 'Identifier') return new Set([lit])
    throw new LabelParseError(`found '${lit}', expected: identifier`)
  }
}

/** Parse a selector string into requirements sorted by key; throws LabelParseError. */
export function parseRequirements(selector: string): Requirement[] {
  const reqs = new Parser(lex(selector)).parse()
  return reqs.sort((a, b) => byteOrder(a.key, b.key))
}
