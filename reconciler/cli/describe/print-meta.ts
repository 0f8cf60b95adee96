/** The multi-line Labels / Annotations / Taints / Tolerations blocks and other small metadata lines. */
import { byteCompare } from '../../api/table/labels.js'
import { LEVEL_0, type PrefixWriter } from './prefix-writer.js'
import type { KubeObject } from './types.js'

/** Annotations describe never shows (kubectl's skipAnnotations). */
// kubectl hides the last-applied configuration; capstan also hides the kubelet's resolved-config
// record, which `describe pod` shows in its own block.
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', 'capstan.dev/resolved-config'])

/** Longest `key: value` annotation printed on one line (describe.go's maxAnnotationLen). */
const MAX_ANNOTATION_LEN = 140

/** Go's len(): UTF-8 bytes. */
const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Cut a string to `max` UTF-8 bytes, as Go's s[:max] does (a split rune is left as its bytes' text). */
function cutBytes(s: string, max: number): string {
  return Buffer.from(s, 'utf8').subarray(0, max).toString('utf8')
}

/**
 * printLabelsMultilineWithIndent: "Title:<inner>k=v" for the first key (sorted), then each further
 * key on its own line after `initialIndent` + `innerIndent`; "<none>" when there are none.
 */
export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string> | undefined | null,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`)
  const keys = Object.keys(labels ?? {}).sort(byteCompare)
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent)
      w.write(LEVEL_0, innerIndent)
    }
    w.write(LEVEL_0, `${key}=${(labels as Record<string, string>)[key]}\n`)
  })
}

/**
 * printAnnotationsMultiline: "key: value" lines, sorted, the last-applied-configuration annotation
 * skipped; a long or multi-line value goes under its key, two spaces in, each line cut at 138 bytes.
 */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`)
  const all = annotations ?? {}
  const keys = Object.keys(all).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort(byteCompare)
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  const indent = '\t'
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent)
    const raw = String(all[key])
    const value = raw.endsWith('\n') ? raw.slice(0, -1) : raw
    if (byteLen(value) + byteLen(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`)
      for (const s of value.split('\n')) {
        const short = byteLen(s) > MAX_ANNOTATION_LEN - 2 ? cutBytes(s, MAX_ANNOTATION_LEN - 2) + '...' : s
        w.write(LEVEL_0, `${indent}  ${short}\n`)
      }
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`)
    }
  })
}

type Taint = { key?: string; value?: string; effect?: string }
type Toleration = { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }

/** Taint.ToString(): "key=value:effect", parts left out when empty. */
function taintString(t: Taint): string {
  const key = t.key ?? ''
  if (!t.effect) return t.value ? `${key}=${t.value}:` : key
  return t.value ? `${key}=${t.value}:${t.effect}` : `${key}:${t.effect}`
}

/** printNodeTaintsMultiline: taints sorted by "effect,key", "<none>" when empty. */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  if (!taints || taints.length === 0) {
    w.writeLine('<none>')
    return
  }
  const sorted = [...taints].sort((a, b) => byteCompare(`${a.effect ?? ''},${a.key ?? ''}`, `${b.effect ?? ''},${b.key ?? ''}`))
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    w.write(LEVEL_0, `${taintString(t)}\n`)
  })
}

/** printPodTolerationsMultiline: "key=value:effect op=Exists for Ns", sorted by key, "<none>" when empty. */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>')
    return
  }
  const sorted = [...tolerations].sort((a, b) => byteCompare(a.key ?? '', b.key ?? ''))
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    let s = t.key ?? ''
    if (t.value) s += `=${t.value}`
    if (t.effect) s += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (typeof t.tolerationSeconds === 'number') s += ` for ${t.tolerationSeconds}s`
    w.write(LEVEL_0, `${s}\n`)
  })
}

/** printController: "Kind/name" of the controller owner reference, or '' when there is none. */
export function controllerOf(obj: KubeObject): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true)
  return ref ? `${ref.kind ?? ''}/${ref.name ?? ''}` : ''
}

/** The UID of the controller owner reference, or undefined. */
export function controllerUid(obj: KubeObject): string | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true)?.uid
}

/** stringOrNone: the string, or "<none>" when it is empty. */
export function stringOrNone(s: string | undefined): string {
  return s ? s : '<none>'
}

/** printBool: "True" / "False". */
export function printBool(b: unknown): string {
  return b === true ? 'True' : 'False'
}

/** Go's %v of a JSON scalar or IntOrString as kubectl prints it. */
export function goValue(v: unknown): string {
  if (v === undefined || v === null) return ''
  return String(v)
}
