/**
 * Which Ingresses capstan's ingress controller serves. capstan does not serve the IngressClass
 * kind, so its controller is the cluster's default class, named `capstan`: it takes every Ingress
 * whose `spec.ingressClassName` is unset or `capstan` (and, when that field is unset, whose legacy
 * `kubernetes.io/ingress.class` annotation is unset or `capstan`). Others belong to another controller.
 */
import type { KObject } from '../../api/object.js'

/** The class name of capstan's ingress controller. */
export const INGRESS_CLASS = 'capstan'
/** The legacy annotation that named the class before `spec.ingressClassName`. */
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class'

/** The class an Ingress asks for (`''` when none). */
export function ingressClassOf(ing: KObject): string {
  const field = (ing.spec as { ingressClassName?: string } | undefined)?.ingressClassName
  if (field) return field
  return ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] ?? ''
}

/** Whether capstan's controller serves the Ingress. */
export function isServedByCapstan(ing: KObject): boolean {
  const cls = ingressClassOf(ing)
  return cls === '' || cls === INGRESS_CLASS
}
