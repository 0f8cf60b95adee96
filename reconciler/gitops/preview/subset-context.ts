/**
 * The context of a subset preview: among the files that did not change, the objects the changed
 * ones need beside them (see subset-preview.ts), found by a raw-text scan that parses few files.
 */
import { apiVersionOf, kindByName } from '../../api/kinds.js'
import { SIM_CONFIGMAP_NAME, SIM_CONFIGMAP_NAMESPACE } from '../../controllers/sim/sim-config.js'
import type { BulkChange, BulkFile, BulkReader } from '../../source/git/bulk-read.js'
import { desiredObjects, type DesiredObject } from '../desired.js'
import { idKey } from '../identity.js'
import { hpaTarget } from '../plan/hpa.js'
import { consumersOf, referencedConfigs } from './consumers.js'
import { addProbe, mayMatter, parseFile, type Probes } from './context-scan.js'
import { isManifest } from './subset-source.js'

const SIM_KEY = `/ConfigMap/${SIM_CONFIGMAP_NAMESPACE}/${SIM_CONFIGMAP_NAME}`

/** The context objects and the raw text of every unchanged manifest, or why the subset cannot answer. */
export type SubsetContext = { needed: DesiredObject[]; texts: Map<string, string> } | { handover: string }

/** Finds the context of `changed` (the objects of the files that differ) among `headFiles`. */
export async function subsetContext({ r, changes, changed, headFiles, namespace }: { r: BulkReader; changes: readonly BulkChange[]; changed: { base: DesiredObject[]; head: DesiredObject[] }; headFiles: readonly BulkFile[]; namespace: string }): Promise<SubsetContext> {
  const fail = (handover: string): SubsetContext => ({ handover })
  // Which objects of unchanged files may matter: same identities (duplicates), consumers of changed
  // ConfigMaps and Secrets, HPAs of changed Deployments, the registry, Namespaces, converted apiVersions.
  const probes: Probes = new Map()
  const changedKeys = new Set<string>()
  const changedDeployments = new Set<string>()
  const configs: Array<{ kind: 'ConfigMap' | 'Secret'; namespace: string; name: string }> = []
  const mounted = new Set<string>()
  for (const d of [...changed.base, ...changed.head]) {
    changedKeys.add(idKey(d.id))
    addProbe(probes, d.id.kind, d.id.name)
    if (d.id.kind === 'HorizontalPodAutoscaler') return fail('an HPA changes')
    if (d.id.kind === 'Deployment') {
      changedDeployments.add(idKey(d.id))
      addProbe(probes, 'HorizontalPodAutoscaler', d.id.name)
      // What its pods read: with them in base, its rollout settles as it does in base's own sync.
      for (const ref of referencedConfigs(d.object)) {
        mounted.add(`/${ref.kind}/${d.id.namespace}/${ref.name}`)
        addProbe(probes, ref.kind, ref.name)
      }
    }
    if (d.id.kind === 'ConfigMap' || d.id.kind === 'Secret') {
      configs.push({ kind: d.id.kind, namespace: d.id.namespace, name: d.id.name })
      addProbe(probes, 'Deployment', d.id.name)
    }
  }
  const headKeys = new Set(changed.head.map((d) => idKey(d.id)))
  for (const d of changed.base) {
    const tls = (d.object.spec as { tls?: unknown[] } | undefined)?.tls
    if (d.id.kind === 'Ingress' && !headKeys.has(idKey(d.id)) && tls?.length) return fail('an Ingress with TLS leaves git')
  }
  addProbe(probes, 'ConfigMap', SIM_CONFIGMAP_NAME)
  const changedPaths = new Set(changes.map((c) => c.path))
  const unchanged = headFiles.filter((f) => !changedPaths.has(f.path) && isManifest(f.path, f.mode))
  const texts = new Map<string, string>()
  const context: DesiredObject[] = []
  const contextKeys = new Set<string>()
  for (const f of unchanged) {
    const text = (r.blobNow(f.oid) ?? (await r.blob(f.oid))).toString('utf8')
    texts.set(f.path, text)
    if (!mayMatter(text, probes)) continue
    const parsed = parseFile(text, f.path)
    if (parsed.problems) return fail(`${f.path} does not parse`)
    const { desired, problems } = desiredObjects(parsed.objects, namespace)
    if (problems.length) return fail(`${f.path} has a problem`)
    for (const d of desired) {
      const key = idKey(d.id)
      if (changedKeys.has(key) || contextKeys.has(key)) return fail(`${key} appears twice`)
      contextKeys.add(key)
      context.push(d)
    }
  }

  // The context itself: what the summaries and warnings need; HPAs of changed Deployments hand over.
  const needed: DesiredObject[] = []
  for (const d of context) {
    const kind = d.id.kind
    if (kind === 'HorizontalPodAutoscaler') {
      const t = hpaTarget(d.object)
      if (t && changedDeployments.has(t)) return fail('an HPA targets a changed Deployment')
      const k = kindByName(kind)
      if (!k || d.object.apiVersion !== apiVersionOf(k)) needed.push(d)
      continue
    }
    const k = kindByName(kind)
    const converted = !k || d.object.apiVersion !== apiVersionOf(k)
    const consumes = kind === 'Deployment' && configs.some((c) => consumersOf(c.kind, c.namespace, c.name, [d.object]).length > 0)
    if (converted || consumes || mounted.has(idKey(d.id)) || idKey(d.id) === SIM_KEY) needed.push(d)
  }
  const namespaces = new Set([...changed.base, ...changed.head, ...needed].map((d) => d.id.namespace).filter(Boolean))
  for (const d of context) if (d.id.kind === 'Namespace' && namespaces.has(d.id.name) && !needed.includes(d)) needed.push(d)

  return { needed, texts }
}
