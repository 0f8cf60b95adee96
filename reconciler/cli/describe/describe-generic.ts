/** The generic describer (kubectl's genericDescriber) for kinds without their own layout. */
import { describeEvents, eventsAbout, refOf } from './events.js'
import { LEVEL_0, tabbedString } from './prefix-writer.js'
import { printAnnotationsMultiline, printLabelsMultiline } from './print-meta.js'
import type { DescribeContext, KubeObject } from './types.js'
import { printUnstructured } from './unstructured.js'

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']

/** Name, Namespace, Labels, Annotations, then every other field of the object, then events. */
export function describeGeneric(obj: KubeObject, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata?.name ?? ''}\n`)
    w.write(LEVEL_0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`)
    printLabelsMultiline(w, 'Labels', obj.metadata?.labels)
    printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations)
    printUnstructured(w, LEVEL_0, obj as Record<string, unknown>, '', SKIP)
    if (ctx.events) describeEvents(eventsAbout(ctx.events, refOf(obj)), w, ctx.now)
  })
}
