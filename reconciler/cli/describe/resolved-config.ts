/**
 * capstan's addition to `describe pod`: what the simulated kubelet resolved for each container's
 * environment and each ConfigMap or Secret volume's files (Secret values never shown, only sizes).
 */
import { readResolvedConfig, RESOLVED_CONFIG_ANNOTATION } from '../../controllers/kubelet/resolved-config.js'
import { LEVEL_0, LEVEL_1, LEVEL_2, type PrefixWriter } from './prefix-writer.js'
import type { KubeObject } from './types.js'

const mode = (m: number): string => '0' + m.toString(8).padStart(3, '0')

/** The "Resolved Configuration:" block, when the pod has the kubelet's record. */
export function describeResolvedConfig(pod: KubeObject, w: PrefixWriter): void {
  if (!pod.metadata?.annotations?.[RESOLVED_CONFIG_ANNOTATION]) return
  const r = readResolvedConfig(pod)
  const containers = Object.entries(r.containers ?? {})
  const volumes = Object.entries(r.volumes ?? {})
  if (!containers.length && !volumes.length) return
  w.write(LEVEL_0, 'Resolved Configuration:\n')
  for (const [name, c] of containers) {
    w.write(LEVEL_1, `Container ${name} (environment at start, ${c.resolvedAt}):${c.env.length ? '' : '\t<none>'}\n`)
    for (const e of c.env) {
      const value = e.sensitive ? `(sensitive, ${e.bytes ?? 0} bytes)` : JSON.stringify(e.value ?? '')
      w.write(LEVEL_2, `${e.name}:\t${value}${e.from === 'value' ? '' : ` from ${e.from}`}\n`)
    }
  }
  for (const [name, v] of volumes) {
    w.write(LEVEL_1, `Volume ${name} (synced ${v.syncedAt}):${v.files.length ? '' : '\t<none>'}\n`)
    for (const f of v.files) w.write(LEVEL_2, `${f.path}\t(${mode(f.mode)}, ${f.bytes} bytes, from ${f.from})\n`)
  }
}
