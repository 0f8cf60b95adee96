/**
 * The TLS state of an Ingress as the controller records it: every problem of every TLS entry's
 * Secret (see routing/certificate.ts), written as the annotation `capstan.dev/tls-problems`, one
 * line per problem `<secretName>: <Code>: <message>` (no annotation when all is well), so that
 * `describe ingress` shows it; and the next time a certificate's validity begins or ends.
 */
import type { KObject } from '../../api/object.js'
import { checkTlsSecret, type TlsProblem } from '../routing/certificate.js'

/** The annotation holding an Ingress's TLS problems. */
export const TLS_PROBLEMS_ANNOTATION = 'capstan.dev/tls-problems'

type TlsEntry = { hosts?: string[]; secretName?: string }
type Rule = { host?: string }

/** The hosts a TLS entry must cover: its own, or when it lists none, the exact hosts of the Ingress's rules. */
export function hostsToCover(ing: KObject, entry: TlsEntry): string[] {
  if ((entry.hosts ?? []).length) return [...new Set(entry.hosts)]
  const rules = ((ing.spec as { rules?: Rule[] } | undefined)?.rules ?? [])
  return [...new Set(rules.map((r) => r.host ?? '').filter((h) => h && !h.startsWith('*.')))]
}

/** The problems of every TLS entry and the next instant one may change on its own (a certificate's notBefore or notAfter). */
export function checkIngressTls(ing: KObject, secret: (name: string) => KObject | undefined, now: Date): { problems: TlsProblem[]; nextChangeAt?: number } {
  const ns = ing.metadata.namespace ?? 'default'
  const problems: TlsProblem[] = []
  let next: number | undefined
  for (const entry of ((ing.spec as { tls?: TlsEntry[] } | undefined)?.tls ?? [])) {
    if (!entry.secretName) continue
    const check = checkTlsSecret(secret(entry.secretName), entry.secretName, ns, hostsToCover(ing, entry), now)
    problems.push(...check.problems)
    for (const t of [check.certificate?.notBefore, check.certificate?.notAfter]) {
      // notAfter is the last valid instant: it is expired one millisecond later.
      const at = t ? Date.parse(t) + (t === check.certificate?.notAfter ? 1 : 0) : NaN
      if (at > now.getTime() && (next === undefined || at < next)) next = at
    }
  }
  return next === undefined ? { problems } : { problems, nextChangeAt: next }
}

/** The annotation text for `problems` (undefined when there are none). */
export function formatTlsProblems(problems: readonly TlsProblem[]): string | undefined {
  if (!problems.length) return undefined
  return problems.map((p) => `${p.secretName}: ${p.code}: ${p.message}`).join('\n')
}

/** The annotation's lines about one Secret, without the Secret's name (`Code: message`). */
export function tlsProblemsFor(ing: { metadata?: { annotations?: Record<string, string> } }, secretName: string): string[] {
  const text = ing.metadata?.annotations?.[TLS_PROBLEMS_ANNOTATION]
  if (!text) return []
  const prefix = `${secretName}: `
  return text.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length))
}
