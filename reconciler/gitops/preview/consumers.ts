/**
 * Which Deployments consume a ConfigMap or Secret, and how. A volume (not mounted with subPath)
 * is updated in running pods by the kubelet; environment variables (env valueFrom, envFrom) and
 * subPath mounts are read when the container starts, so pods see a change only once restarted.
 */
import type { KObject } from '../../api/object.js'

/** How a Deployment consumes the object. */
export interface Consumer {
  deployment: string
  /** `volume`: pods see changes; `env`: only after a restart (env vars or subPath mounts). */
  via: 'volume' | 'env'
}

type Container = { env?: Array<{ valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } } }>; envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>; volumeMounts?: Array<{ name?: string; subPath?: string; subPathExpr?: string }> }
type Volume = { name?: string; configMap?: { name?: string }; secret?: { secretName?: string }; projected?: { sources?: Array<{ configMap?: { name?: string }; secret?: { name?: string } }> } }

/** The Deployments among `deployments` (same namespace) that consume ConfigMap or Secret `name`. */
export function consumersOf(kind: 'ConfigMap' | 'Secret', namespace: string, name: string, deployments: readonly KObject[]): Consumer[] {
  const cm = kind === 'ConfigMap'
  const out: Consumer[] = []
  for (const d of deployments) {
    if ((d.metadata.namespace ?? 'default') !== namespace) continue
    const pod = (d.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] } } } | undefined)?.template?.spec
    const containers = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]
    const volumes = new Set(
      (pod?.volumes ?? [])
        .filter((v) => (cm ? v.configMap?.name === name || v.projected?.sources?.some((s) => s.configMap?.name === name) : v.secret?.secretName === name || v.projected?.sources?.some((s) => s.secret?.name === name)))
        .map((v) => v.name),
    )
    let env = false
    let volume = false
    for (const c of containers) {
      if ((c.env ?? []).some((e) => (cm ? e.valueFrom?.configMapKeyRef?.name : e.valueFrom?.secretKeyRef?.name) === name)) env = true
      if ((c.envFrom ?? []).some((e) => (cm ? e.configMapRef?.name : e.secretRef?.name) === name)) env = true
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name)) continue
        if (m.subPath || m.subPathExpr) env = true
        else volume = true
      }
    }
    if (env || volume) out.push({ deployment: d.metadata.name!, via: env ? 'env' : 'volume' })
  }
  return out.sort((a, b) => a.deployment.localeCompare(b.deployment))
}

/** The ConfigMaps and Secrets a Deployment's pod template names (env, envFrom, volumes, projected volumes). */
export function referencedConfigs(d: KObject): Array<{ kind: 'ConfigMap' | 'Secret'; name: string }> {
  const pod = (d.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] } } } | undefined)?.template?.spec
  const out: Array<{ kind: 'ConfigMap' | 'Secret'; name: string | undefined }> = []
  for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
    for (const e of c.env ?? []) out.push({ kind: 'ConfigMap', name: e.valueFrom?.configMapKeyRef?.name }, { kind: 'Secret', name: e.valueFrom?.secretKeyRef?.name })
    for (const e of c.envFrom ?? []) out.push({ kind: 'ConfigMap', name: e.configMapRef?.name }, { kind: 'Secret', name: e.secretRef?.name })
  }
  for (const v of pod?.volumes ?? []) {
    out.push({ kind: 'ConfigMap', name: v.configMap?.name }, { kind: 'Secret', name: v.secret?.secretName })
    for (const s of v.projected?.sources ?? []) out.push({ kind: 'ConfigMap', name: s.configMap?.name }, { kind: 'Secret', name: s.secret?.name })
  }
  return out.filter((r): r is { kind: 'ConfigMap' | 'Secret'; name: string } => typeof r.name === 'string' && r.name !== '')
}

/** `deployment/web (volume: its pods see the change), deployment/api (env: not until its pods restart)`. */
export function consumersText(consumers: readonly Consumer[]): string {
  if (!consumers.length) return 'no Deployment consumes it'
  return 'consumed by ' + consumers.map((c) => `deployment/${c.deployment} (${c.via === 'volume' ? 'volume: its pods see the change' : 'env: not until its pods restart'})`).join(', ')
}
