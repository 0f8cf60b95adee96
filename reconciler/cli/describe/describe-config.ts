/** `describe configmap`, `describe secret` and `describe namespace`. */
import { byteCompare } from '../../api/table/labels.js'
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import { formatRFC1123Z } from './time-format.js'
import type { DescribeContext, KubeObject } from './types.js'

/** Bytes of a base64 value (binaryData and Secret data are base64 in JSON). */
function decodedLength(v: unknown): number {
  return typeof v === 'string' ? Buffer.from(v, 'base64').length : 0
}

/**
 * The ConfigMap's description: each data key underlined with "----" and its value, then the
 * binaryData sizes. Keys are sorted (kubectl 1.32 walks a Go map, so its order varies run to run).
 */
export function describeConfigMap(cm: KubeObject, ctx: DescribeContext): string {
  const md = cm.metadata ?? {}
  const data = (cm.data ?? {}) as Record<string, unknown>
  const binary = (cm.binaryData ?? {}) as Record<string, unknown>
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, '\nData\n====\n')
    for (const k of Object.keys(data).sort(byteCompare)) {
      w.write(LEVEL_0, `${k}:\n----\n`)
      w.write(LEVEL_0, `${String(data[k] ?? '')}\n`)
      w.write(LEVEL_0, '\n')
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n')
    for (const k of Object.keys(binary).sort(byteCompare)) w.write(LEVEL_0, `${k}: ${decodedLength(binary[k])} bytes\n`)
    w.write(LEVEL_0, '\n')
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(cm)), w, ctx.now)
  })
}

/**
 * The Secret's description: type and the size of each value, never the value (kubectl shows only
 * a service-account token in clear; capstan does not, by its never-print-secrets rule). No events,
 * as kubectl.
 */
export function describeSecret(secret: KubeObject): string {
  const md = secret.metadata ?? {}
  const data = (secret.data ?? {}) as Record<string, unknown>
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${md.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `\nType:\t${typeof secret.type === 'string' ? secret.type : ''}\n`)
    w.write(LEVEL_0, '\nData\n====\n')
    for (const k of Object.keys(data).sort(byteCompare)) w.write(LEVEL_0, `${k}:\t${decodedLength(data[k])} bytes\n`)
  })
}

type NamespaceCondition = { type?: string; status?: string; lastTransitionTime?: string; reason?: string; message?: string }

/**
 * The Namespace's description. capstan serves no ResourceQuota or LimitRange, so (as kubectl does
 * when the server has neither API) those sections are left out; kubectl shows no events here.
 */
export function describeNamespace(ns: KubeObject, ctx: DescribeContext): string {
  const md = ns.metadata ?? {}
  const status = (ns.status ?? {}) as { phase?: string; conditions?: NamespaceCondition[] }
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${md.name ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', md.labels)
    printAnnotationsMultiline(w, 'Annotations', md.annotations)
    w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`)
    const conditions = status.conditions ?? []
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n')
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n')
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${c.type ?? ''}\t${c.status ?? ''}\t${formatRFC1123Z(c.lastTransitionTime, ctx.timeZone)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`,
        )
      }
    }
  })
}
