/** The directives a strategic merge patch may carry (k8s.io/apimachinery/pkg/util/strategicpatch). */

/** `$patch: replace|delete|merge` on a map or list item. */
export const PATCH_DIRECTIVE = '$patch'
/** `$retainKeys: [...]`: keys of the original not listed are cleared (fields tagged retainKeys). */
export const RETAIN_KEYS = '$retainKeys'
/** `$setElementOrder/<field>: [...]`: the order of a merged list. */
export const SET_ELEMENT_ORDER = '$setElementOrder/'
/** `$deleteFromPrimitiveList/<field>: [...]`: values removed from a merged list of scalars. */
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/'

/** A patch that cannot be applied: kube-apiserver answers these with 422 or 400. */
export class StrategicPatchError extends Error {
  override name = 'StrategicPatchError'
}

/** Whether a key is a directive rather than a field. */
export function isDirectiveKey(k: string): boolean {
  return k === PATCH_DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
}
