/** Self-signed certificates made with openssl for tests, and the TLS Secret `create secret tls` makes of them. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KObject } from '../../../reconciler/api/object.js'
import { tempDir } from '../../helpers/tmp.js'

/** A PEM certificate and key. */
export interface KeyPair {
  crt: string
  key: string
}

/** A self-signed certificate for `cn` (and `sans`, DNS names), valid for `days` from now. */
export function makeCert(cn: string, sans: string[] = [cn], days = 1): KeyPair {
  const t = tempDir('capstan-cert-')
  try {
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(t.dir, 'k'), '-out', join(t.dir, 'c'), '-days', String(days), '-subj', `/CN=${cn}`]
    if (sans.length) args.push('-addext', `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`)
    const r = spawnSync('openssl', args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`)
    return { crt: readFileSync(join(t.dir, 'c'), 'utf8'), key: readFileSync(join(t.dir, 'k'), 'utf8') }
  } finally {
    t.remove()
  }
}

/** A kubernetes.io/tls Secret holding the pair. */
export function tlsSecret(name: string, pair: KeyPair, namespace = 'default', type = 'kubernetes.io/tls'): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: { 'tls.crt': Buffer.from(pair.crt).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
  } as KObject
}
