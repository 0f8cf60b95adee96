/** The Volumes section: one block per volume, by volume source, as describe.go prints them. */
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefix-writer.js'
import { canonicalQuantity, compareQuantity, parseQuantity, ZERO } from './quantity.js'

type Source = Record<string, unknown>
/** A pod volume: its name and one volume source. */
export type Volume = { name?: string; [source: string]: unknown }

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v))
const optional = (src: Source): boolean => src.optional === true

/** describeVolumes: "Volumes:  <none>", or each volume's name and source details. */
export function describeVolumes(volumes: Volume[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`)
    return
  }
  w.write(LEVEL_0, `${space}Volumes:\n`)
  const nameIndent = space.length > 0 ? ' ' : ''
  for (const v of volumes) {
    w.write(LEVEL_1, `${nameIndent}${s(v.name)}:\n`)
    describeSource(v, w)
  }
}

function describeSource(v: Volume, w: PrefixWriter): void {
  const src = (key: string): Source | undefined => {
    const x = v[key]
    return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Source) : undefined
  }
  let x: Source | undefined
  if ((x = src('hostPath'))) {
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${s(x.path)}\n    HostPathType:\t${x.type === undefined ? '<none>' : s(x.type)}\n`)
  } else if ((x = src('emptyDir'))) {
    const limit = parseQuantity(x.sizeLimit)
    const sizeLimit = limit && compareQuantity(limit, ZERO) > 0 ? canonicalQuantity(x.sizeLimit) : '<unset>'
    w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${s(x.medium)}\n    SizeLimit:\t${sizeLimit}\n`)
  } else if ((x = src('secret'))) {
    w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${s(x.secretName)}\n    Optional:\t${optional(x)}\n`)
  } else if ((x = src('configMap'))) {
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${s(x.name)}\n    Optional:\t${optional(x)}\n`)
  } else if ((x = src('persistentVolumeClaim'))) {
    w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${s(x.claimName)}\n    ReadOnly:\t${x.readOnly === true}\n`)
  } else if ((x = src('downwardAPI'))) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n')
    for (const item of (Array.isArray(x.items) ? x.items : []) as Source[]) {
      const fieldRef = item.fieldRef as Source | undefined
      const resRef = item.resourceFieldRef as Source | undefined
      if (fieldRef) w.write(LEVEL_3, `${s(fieldRef.fieldPath)} -> ${s(item.path)}\n`)
      if (resRef) w.write(LEVEL_3, `${s(resRef.resource)} -> ${s(item.path)}\n`)
    }
  } else if ((x = src('projected'))) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n')
    for (const p of (Array.isArray(x.sources) ? x.sources : []) as Source[]) {
      const secret = p.secret as Source | undefined
      const cm = p.configMap as Source | undefined
      const token = p.serviceAccountToken as Source | undefined
      if (secret) w.write(LEVEL_2, `SecretName:\t${s(secret.name)}\n    Optional:\t${optional(secret)}\n`)
      else if (p.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n')
      else if (cm) w.write(LEVEL_2, `ConfigMapName:\t${s(cm.name)}\n    Optional:\t${optional(cm)}\n`)
      else if (token) w.write(LEVEL_2, `TokenExpirationSeconds:\t${s(token.expirationSeconds ?? 3600)}\n`)
    }
  } else if ((x = src('nfs'))) {
    w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${s(x.server)}\n    Path:\t${s(x.path)}\n    ReadOnly:\t${x.readOnly === true}\n`)
  } else if ((x = src('csi'))) {
    w.write(LEVEL_2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${s(x.driver)}\n    FSType:\t${s(x.fsType)}\n    ReadOnly:\t${x.readOnly === true}\n`)
    const attrs = (x.volumeAttributes ?? {}) as Record<string, string>
    const keys = Object.keys(attrs).sort()
    w.write(LEVEL_2, 'VolumeAttributes:\t')
    if (keys.length === 0) w.writeLine('<none>')
    keys.forEach((k, i) => {
      if (i !== 0) w.write(LEVEL_2, '\t')
      const line = `${k}=${attrs[k]}`
      w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`)
    })
  } else if ((x = src('image'))) {
    w.write(LEVEL_2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${s(x.reference)}\n    PullPolicy:\t${s(x.pullPolicy)}\n`)
  } else {
    w.write(LEVEL_1, '<unknown>\n')
  }
}
