/**
 * Versions a kind is served at besides the one it is stored at, as kube-apiserver serves
 * autoscaling/v1 next to autoscaling/v2 (v2 preferred): requests at such a version act on the stored
 * objects; what comes in is converted by convert.ts, what goes out by `fromStored`.
 */
import { hpaToV1 } from './hpa-v1.js'
import { kindByName, type KindInfo } from './kinds.js'
import type { KObject } from './object.js'

/** One more version of a stored kind. */
export interface ExtraVersion {
  group: string
  version: string
  kind: string
  /** A stored object as this version shows it (a copy). */
  fromStored(obj: KObject): KObject
}

export const EXTRA_VERSIONS: readonly ExtraVersion[] = [{ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', fromStored: hpaToV1 }]

/** The extra version `group/version` of `kind`, if it is served. */
export function extraVersion(group: string, version: string, kind: string): ExtraVersion | undefined {
  return EXTRA_VERSIONS.find((e) => e.group === group && e.version === version && e.kind === kind)
}

/** The stored kind served at `group/version` under `plural` as an extra version. */
export function extraKindFor(group: string, version: string, plural: string): KindInfo | undefined {
  for (const e of EXTRA_VERSIONS) {
    const k = kindByName(e.kind)
    if (e.group === group && e.version === version && k?.plural === plural) return k
  }
  return undefined
}

/** The kinds served at `group/version` as extra versions, described at that version (for discovery). */
export function extraKindsAt(group: string, version: string): KindInfo[] {
  return EXTRA_VERSIONS.filter((e) => e.group === group && e.version === version).flatMap((e) => {
    const k = kindByName(e.kind)
    return k ? [{ ...k, version }] : []
  })
}
