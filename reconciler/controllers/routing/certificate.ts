/**
 * Whether a TLS Secret can terminate TLS for a host at a given time: it exists, is of type
 * `kubernetes.io/tls`, holds a `tls.crt` that parses as an X.509 certificate (node's
 * X509Certificate) and a `tls.key` that matches it, the certificate covers the host (subjectAltName
 * DNS names, or the subject CN when it has none; `*.foo.com` covers one label) and `now` lies within
 * its validity. Problems are data: a closed set of codes with a message each.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import type { KObject } from '../../api/object.js'

/** Why a TLS Secret cannot serve. */
export type TlsProblemCode =
  /** No Secret of that name in the Ingress's namespace. */
  | 'SecretNotFound'
  /** The Secret is not of type kubernetes.io/tls. */
  | 'SecretTypeInvalid'
  /** `tls.crt` or `tls.key` is missing or empty. */
  | 'CertificateMissing'
  /** `tls.crt` does not parse as a PEM X.509 certificate. */
  | 'CertificateInvalid'
  /** `tls.key` does not parse or is not the certificate's key. */
  | 'KeyMismatch'
  /** The certificate does not name the host. */
  | 'HostNotCovered'
  /** `now` is after the certificate's notAfter. */
  | 'CertificateExpired'
  /** `now` is before the certificate's notBefore. */
  | 'CertificateNotYetValid'

/** One problem with one Secret (and host, for HostNotCovered). */
export interface TlsProblem {
  code: TlsProblemCode
  secretName: string
  host?: string
  message: string
}

/** What a certificate says about itself, for reports. */
export interface CertificateSummary {
  subject: string
  dnsNames: string[]
  notBefore: string
  notAfter: string
}

function decode(v: unknown): string {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : ''
}

/** The DNS names of a certificate's subjectAltName. */
function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase())
}

/** Whether the certificate covers `host`; a wildcard host (`*.foo.com`) needs that very wildcard in the certificate. */
export function certificateCovers(cert: X509Certificate, host: string): boolean {
  const h = host.toLowerCase()
  if (h.startsWith('*.')) {
    const names = dnsNames(cert)
    if (names.length) return names.includes(h)
    return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1]?.toLowerCase() === h
  }
  return cert.checkHost(h, { subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined
}

/** The result of checking one Secret for a set of hosts. */
export interface TlsCheck {
  problems: TlsProblem[]
  certificate?: CertificateSummary
}

/** Checks the Secret `secretName` (undefined: it does not exist) for `hosts` at `now`. */
export function checkTlsSecret(secret: KObject | undefined, secretName: string, namespace: string, hosts: readonly string[], now: Date): TlsCheck {
  const p = (code: TlsProblemCode, message: string, host?: string): TlsProblem => (host ? { code, secretName, host, message } : { code, secretName, message })
  if (!secret) return { problems: [p('SecretNotFound', `secret "${namespace}/${secretName}" not found`)] }
  const type = (secret as { type?: string }).type ?? 'Opaque'
  if (type !== 'kubernetes.io/tls') return { problems: [p('SecretTypeInvalid', `secret "${namespace}/${secretName}" is of type "${type}", not "kubernetes.io/tls"`)] }
  const data = (secret.data ?? {}) as Record<string, unknown>
  const crt = decode(data['tls.crt'])
  const key = decode(data['tls.key'])
  if (!crt || !key) return { problems: [p('CertificateMissing', `secret "${namespace}/${secretName}" has no ${!crt ? 'tls.crt' : 'tls.key'}`)] }
  let cert: X509Certificate
  try {
    cert = new X509Certificate(crt)
  } catch (err) {
    return { problems: [p('CertificateInvalid', `tls.crt of secret "${namespace}/${secretName}" is not a valid certificate: ${(err as Error).message}`)] }
  }
  const summary: CertificateSummary = {
    subject: cert.subject.replace(/\n/g, ', '),
    dnsNames: dnsNames(cert),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  }
  const problems: TlsProblem[] = []
  try {
    if (!cert.checkPrivateKey(createPrivateKey(key))) problems.push(p('KeyMismatch', `tls.key of secret "${namespace}/${secretName}" does not match its certificate`))
  } catch (err) {
    problems.push(p('KeyMismatch', `tls.key of secret "${namespace}/${secretName}" is not a valid private key: ${(err as Error).message}`))
  }
  const t = now.getTime()
  if (t > Date.parse(summary.notAfter)) {
    problems.push(p('CertificateExpired', `certificate in secret "${namespace}/${secretName}" expired at ${summary.notAfter} (now ${now.toISOString()})`))
  } else if (t < Date.parse(summary.notBefore)) {
    problems.push(p('CertificateNotYetValid', `certificate in secret "${namespace}/${secretName}" is not valid before ${summary.notBefore} (now ${now.toISOString()})`))
  }
  for (const host of hosts) {
    if (!certificateCovers(cert, host)) {
      const names = summary.dnsNames.length ? summary.dnsNames.join(', ') : summary.subject
      problems.push(p('HostNotCovered', `certificate in secret "${namespace}/${secretName}" does not cover host "${host}" (it names ${names})`, host))
    }
  }
  return { problems, certificate: summary }
}
