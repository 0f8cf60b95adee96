/**
 * capstan's ingress controller (class `capstan`, the default: see routing/ingress-class.ts). For
 * every Ingress it serves it publishes its address in status.loadBalancer.ingress (one address for
 * the controller, shared by all Ingresses, as ingress-nginx publishes its own Service's address),
 * and it checks every TLS entry's Secret: a problem is a Warning event (reason: the problem's code)
 * and a line of the `capstan.dev/tls-problems` annotation, cleared when fixed. A change to a Secret
 * re-checks the Ingresses that name it; a certificate that expires is re-checked at that moment.
 */
import { isNotFound } from '../../api/errors.js'
import { clone, jsonEqual, type KObject } from '../../api/object.js'
import { isServedByCapstan } from '../routing/ingress-class.js'
import type { Controller, ControllerContext, Request, Result } from '../runtime/types.js'
import { decodeIngressCheckpoint, INGRESS_CHECKPOINT_FORMAT, type IngressCheckpoint } from './checkpoint.js'
import { checkIngressTls, formatTlsProblems, TLS_PROBLEMS_ANNOTATION } from './tls-status.js'

/** The address of capstan's ingress controller (TEST-NET-2, RFC 5737), published on every Ingress it serves. */
export const INGRESS_CONTROLLER_ADDRESS = '198.51.100.1'
/** The field manager of the controller's writes. */
export const INGRESS_FIELD_MANAGER = 'capstan-ingress-controller'

/** Creates the ingress controller (events as `capstan-ingress-controller`). */
export function createIngressController(ctx: ControllerContext): Controller {
  // namespace/secret → the Ingresses (namespace/name) whose TLS names it.
  const bySecret = new Map<string, Set<string>>()
  const secretsOf = new Map<string, string[]>()

  const remember = (key: string, ns: string, secrets: string[]): void => {
    for (const s of secretsOf.get(key) ?? []) bySecret.get(s)?.delete(key)
    const keys = secrets.map((s) => `${ns}/${s}`)
    secretsOf.set(key, keys)
    for (const s of keys) {
      let set = bySecret.get(s)
      if (!set) bySecret.set(s, (set = new Set()))
      set.add(key)
    }
  }

  /** Remembers the Secrets an Ingress names (none when capstan does not serve it); false when it is not to be checked. */
  const rememberSecrets = (ing: KObject): boolean => {
    const key = `${ing.metadata.namespace ?? ''}/${ing.metadata.name}`
    if (!isServedByCapstan(ing) || ing.metadata.deletionTimestamp) {
      remember(key, ing.metadata.namespace ?? '', [])
      return false
    }
    remember(key, ing.metadata.namespace ?? 'default', tlsSecretNames(ing))
    return true
  }

  return {
    name: 'ingress',
    resource: 'ingresses',
    // Unchanged Ingresses were checked and their expiry re-checks are restored; Secret changes need the map.
    incremental: true,
    prime: (ing) => {
      rememberSecrets(ing)
    },
    // The Secret references, per Secret in the order its Ingresses are woken (Secrets named by none left out).
    checkpoint: {
      save: (): IngressCheckpoint => ({ format: INGRESS_CHECKPOINT_FORMAT, secrets: [...bySecret].filter(([, ings]) => ings.size).map(([secret, ings]) => [secret, [...ings]]) }),
      format: INGRESS_CHECKPOINT_FORMAT,
      startRequests: () => [],
      restore(data: unknown): Request[] | undefined {
        const saved = decodeIngressCheckpoint(data)
        if (!saved) return undefined
        for (const [secret, ings] of saved.secrets) {
          bySecret.set(secret, new Set(ings))
          for (const ing of ings) secretsOf.set(ing, [...(secretsOf.get(ing) ?? []), secret])
        }
        return []
      },
    },
    watches: [
      {
        resource: 'secrets',
        map: (s) =>
          [...(bySecret.get(`${s.metadata.namespace}/${s.metadata.name}`) ?? [])].map((k) => {
            const [namespace, name] = k.split('/')
            return { resource: 'ingresses', namespace, name }
          }),
      },
    ],
    async reconcile(req: Request): Promise<Result> {
      const key = `${req.namespace}/${req.name}`
      let ing: KObject
      try {
        ing = await ctx.api.get('ingresses', req.namespace, req.name)
      } catch (err) {
        if (!isNotFound(err)) throw err
        remember(key, req.namespace ?? '', [])
        return {}
      }
      if (!rememberSecrets(ing)) return {}
      const ns = ing.metadata.namespace ?? 'default'
      const secretNames = tlsSecretNames(ing)

      // TLS: check each Secret; record the problems and warn about new ones.
      const secrets = new Map<string, KObject | undefined>()
      for (const name of secretNames) {
        try {
          secrets.set(name, await ctx.api.get('secrets', ns, name))
        } catch (err) {
          if (!isNotFound(err)) throw err
          secrets.set(name, undefined)
        }
      }
      const now = ctx.clock.now()
      const { problems, nextChangeAt } = checkIngressTls(ing, (n) => secrets.get(n), now)
      const text = formatTlsProblems(problems)
      const before = ing.metadata.annotations?.[TLS_PROBLEMS_ANNOTATION]
      if (text !== before) {
        const next = clone(ing)
        const annotations = { ...(next.metadata.annotations ?? {}) }
        if (text) annotations[TLS_PROBLEMS_ANNOTATION] = text
        else delete annotations[TLS_PROBLEMS_ANNOTATION]
        next.metadata.annotations = annotations
        if (!Object.keys(annotations).length) delete next.metadata.annotations
        ing = await ctx.api.update(next, { fieldManager: INGRESS_FIELD_MANAGER })
        const old = new Set((before ?? '').split('\n'))
        for (const p of problems) {
          if (!old.has(`${p.secretName}: ${p.code}: ${p.message}`)) await ctx.events.event(ing, 'Warning', p.code, p.message)
        }
      }

      // Status: the controller's address.
      const want = [{ ip: INGRESS_CONTROLLER_ADDRESS }]
      const current = ((ing.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? [])
      if (!jsonEqual(current, want)) {
        const next = clone(ing)
        next.status = { ...((next.status ?? {}) as object), loadBalancer: { ingress: want } }
        await ctx.api.updateStatus(next, { fieldManager: INGRESS_FIELD_MANAGER })
        await ctx.events.event(ing, 'Normal', 'Sync', 'Scheduled for sync')
      }
      return nextChangeAt === undefined ? {} : { requeueAfterMs: Math.max(1, nextChangeAt - now.getTime()) }
    },
  }
}

/** The distinct Secret names of an Ingress's TLS entries. */
function tlsSecretNames(ing: KObject): string[] {
  const tls = ((ing.spec as { tls?: Array<{ secretName?: string }> } | undefined)?.tls ?? [])
  return [...new Set(tls.map((t) => t.secretName ?? '').filter(Boolean))]
}
