/** The parse tree of kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath/node.go). */

/** Slice bounds of an array node; `known` is false where the bound was left out. */
export type SliceParam = { value: number; known: boolean; derived?: boolean }

/** One node of a template. */
export type Node =
  | { type: 'list'; nodes: Node[] }
  | { type: 'text'; text: string }
  | { type: 'field'; value: string }
  | { type: 'identifier'; name: string }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] }

/** A sequence of nodes (the root, and the inside of each {…}). */
export type ListNode = { type: 'list'; nodes: Node[] }

/** A new empty list node. */
export const newList = (): ListNode => ({ type: 'list', nodes: [] })
