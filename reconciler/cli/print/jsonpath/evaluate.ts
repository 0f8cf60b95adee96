/**
 * Executes a parsed JSONPath template over a JSON value as kubectl does
 * (k8s.io/client-go/util/jsonpath/jsonpath.go), including its range/end semantics.
 * Map entries are visited in sorted key order (Go visits them in random order).
 */
import { goSprint } from '../go-format.js'
import { toGoCompactJson } from '../json.js'
import { compare, ComparisonError, type Operand } from './compare.js'
import type { ListNode, Node } from './nodes.js'

/** A template that fails on the given data (kubectl: "error executing jsonpath …"). */
export class JsonPathExecError extends Error {
  override name = 'JsonPathExecError'
}

/** A result value, with the Go kind of template literals (ints, floats, bools, text). */
type Value = Operand

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const sortedEntries = (m: Record<string, unknown>): unknown[] =>
  Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => m[k])

/** Go's name of a value's type, for error messages. */
function goTypeName(v: unknown): string {
  if (isMap(v)) return 'map[string]interface {}'
  if (Array.isArray(v)) return '[]interface {}'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  return 'interface {}'
}

/** Children of a map, list or string (a string's bytes), as wildcard and recursive descent see them. */
function children(v: unknown): unknown[] {
  if (isMap(v)) return sortedEntries(v)
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')]
  return []
}

class Executor {
  stack: Value[][] = []
  cur: Value[] = []
  beginRange = 0
  inRange = 0
  endRange = 0
  rootNodes: Node[]

  constructor(root: ListNode, readonly allowMissingKeys: boolean) {
    this.rootNodes = root.nodes
  }

  findResults(data: Value): Value[][] {
    this.cur = [data]
    const nodes = this.rootNodes
    const full: Value[][] = []
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk(this.cur, nodes[i])
      // an end node: stop this block
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange -= 1
        break
      }
      // a range node: run the rest of the template once per result
      if (this.beginRange > 0) {
        this.beginRange -= 1
        this.inRange += 1
        results.forEach((value, k) => {
          this.rootNodes = nodes.slice(i + 1)
          if (k === results.length - 1) this.inRange -= 1
          full.push(...this.findResults(value))
        })
        break
      }
      full.push(results)
    }
    return full
  }

  walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list': return this.evalList(input, node)
      case 'text': return [{ value: node.text, kind: 'string' }]
      case 'field': return this.evalField(input, node.value)
      case 'array': return this.evalArray(input, node)
      case 'filter': return this.evalFilter(input, node)
      case 'int': return input.map(() => ({ value: node.value, kind: 'int' as const }))
      case 'float': return input.map(() => ({ value: node.value, kind: 'float' as const }))
      case 'bool': return input.map(() => ({ value: node.value, kind: 'bool' as const }))
      case 'wildcard': return this.evalWildcard(input)
      case 'recursive': return this.evalRecursive(input)
      case 'union': return node.nodes.flatMap((l) => this.evalList(input, l))
      case 'identifier': return this.evalIdentifier(input, node.name)
    }
  }

  evalList(input: Value[], node: ListNode): Value[] {
    let cur = input
    for (const n of node.nodes) cur = this.walk(cur, n)
    return cur
  }

  evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.stack.push(this.cur)
      this.beginRange += 1
      return input
    }
    if (name === 'end') {
      if (this.endRange < this.inRange) {
        this.endRange += 1
        return []
      }
      const top = this.stack.pop()
      if (top === undefined) throw new JsonPathExecError('not in range, nothing to end')
      this.cur = top
      return []
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`)
  }

  evalField(input: Value[], key: string): Value[] {
    const results: Value[] = []
    if (input.length === 0) return results
    for (const { value } of input) {
      if (value === null || value === undefined) continue
      if (isMap(value) && Object.prototype.hasOwnProperty.call(value, key)) results.push({ value: value[key] })
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecError(`${key} is not found`)
    return results
  }

  evalArray(input: Value[], node: Extract<Node, { type: 'array' }>): Value[] {
    const result: Value[] = []
    for (const { value } of input) {
      if (value === null || value === undefined) continue
      if (!Array.isArray(value)) throw new JsonPathExecError(`${goTypeName(value)} is not array or slice`)
      const len = value.length
      const p = node.params.map((x) => ({ ...x }))
      if (!p[0].known) p[0].value = 0
      if (p[0].value < 0) p[0].value += len
      if (!p[1].known) p[1].value = len
      if (p[1].value < 0 || (p[1].value === 0 && p[1].derived)) p[1].value += len
      if (p[1].value === p[0].value) return result
      if (p[0].value >= len || p[0].value < 0) throw new JsonPathExecError(`array index out of bounds: index ${p[0].value}, length ${len}`)
      if (p[1].value > len || p[1].value < 0) throw new JsonPathExecError(`array index out of bounds: index ${p[1].value - 1}, length ${len}`)
      if (p[0].value > p[1].value) throw new JsonPathExecError(`starting index ${p[0].value} is greater than ending index ${p[1].value}`)
      let step = 1
      if (p[2].known) {
        if (p[2].value <= 0) throw new JsonPathExecError('step must be > 0')
        step = p[2].value
      }
      const slice = value.slice(p[0].value, p[1].value)
      for (let i = 0; i < slice.length; i += step) result.push({ value: slice[i] })
    }
    return result
  }

  evalWildcard(input: Value[]): Value[] {
    const results: Value[] = []
    for (const { value } of input) {
      if (value === null || value === undefined) continue
      for (const c of children(value)) results.push({ value: c })
    }
    return results
  }

  evalRecursive(input: Value[]): Value[] {
    const result: Value[] = []
    for (const v of input) {
      if (v.value === null || v.value === undefined) continue
      const kids = children(v.value).map((c) => ({ value: c }))
      if (kids.length !== 0) {
        result.push(v)
        result.push(...this.evalRecursive(kids))
      }
    }
    return result
  }

  evalFilter(input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
    const results: Value[] = []
    for (const { value } of input) {
      if (!Array.isArray(value)) throw new JsonPathExecError(`${goSprint(value)} is not array or slice and cannot be filtered`)
      for (const item of value) {
        const temp: Value[] = [{ value: item }]
        let lefts: Value[]
        try {
          lefts = this.evalList(temp, node.left)
        } catch (err) {
          if (node.operator === 'exists') continue
          throw err
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push({ value: item })
          continue
        }
        if (lefts.length === 0) continue
        if (lefts.length > 1) throw new JsonPathExecError('can only compare one element at a time')
        const rights = this.evalList(temp, node.right)
        if (rights.length === 0) continue
        if (rights.length > 1) throw new JsonPathExecError('can only compare one element at a time')
        let pass: boolean
        try {
          pass = compare(node.operator, lefts[0], rights[0])
        } catch (err) {
          if (err instanceof ComparisonError) throw new JsonPathExecError(err.message)
          throw err
        }
        if (pass) results.push({ value: item })
      }
    }
    return results
  }
}

/** The text of one result: maps, lists and null as compact JSON, scalars as Go prints them. */
function resultText(v: Value): string {
  const x = v.value
  if (x === null || x === undefined || typeof x === 'object') return toGoCompactJson(x)
  return goSprint(x)
}

/** Runs a parsed template over data; results of one action are joined by spaces. */
export function executeJsonPath(root: ListNode, data: unknown, { allowMissingKeys = true } = {}): string {
  const ex = new Executor(root, allowMissingKeys)
  const full = ex.findResults({ value: data })
  return full.map((results) => results.map(resultText).join(' ')).join('')
}

/** The raw result values of each action (FindResults), for custom-columns. */
export function executeJsonPathResults(root: ListNode, data: unknown, { allowMissingKeys = true } = {}): unknown[][] {
  const ex = new Executor(root, allowMissingKeys)
  return ex.findResults({ value: data }).map((results) => results.map((v) => v.value))
}
