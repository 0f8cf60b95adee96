/** Check a certificate and private key the way Go's tls.X509KeyPair does, with its error words. */
import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto'
import { CreateError } from './errors.js'

interface PemBlock {
  type: string
  bytes: Buffer
}

/** The PEM blocks of `data`, in order (headers such as `Proc-Type` skipped over). */
export function pemBlocks(data: Buffer): PemBlock[] {
  const text = data.toString('latin1')
  const blocks: PemBlock[] = []
  const re = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t\r]*\n([\s\S]*?)\n-----END \1-----/g
  for (const m of text.matchAll(re)) {
    let body = m[2]
    // Headers end at the first blank line, when the body starts with "Name: value" lines.
    if (/^[^\n:]+:/.test(body)) {
      const blank = body.search(/\r?\n\r?\n/)
      body = blank < 0 ? '' : body.slice(blank)
    }
    const b64 = body.replace(/[\s]/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) continue
    blocks.push({ type: m[1], bytes: Buffer.from(b64, 'base64') })
  }
  return blocks
}

const fail = (message: string): never => {
  throw new CreateError('InvalidKeyPair', message)
}

const GO_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'secp224r1'])

/** Go's parsePrivateKey: PKCS#1, then PKCS#8 (RSA, ECDSA, Ed25519 only), then SEC 1. */
function parsePrivateKey(der: Buffer): KeyObject {
  const attempts: { type: 'pkcs1' | 'pkcs8' | 'sec1' }[] = [{ type: 'pkcs1' }, { type: 'pkcs8' }, { type: 'sec1' }]
  for (const { type } of attempts) {
    let key: KeyObject
    try {
      key = createPrivateKey({ key: der, format: 'der', type })
    } catch {
      continue
    }
    const kind = key.asymmetricKeyType
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (kind === 'ec' && curve && !GO_CURVES.has(curve)) continue
    if (type === 'pkcs8' && kind !== 'rsa' && kind !== 'ec' && kind !== 'ed25519') {
      if (kind === 'x25519') fail('tls: found unknown private key type in PKCS#8 wrapping')
      continue
    }
    return key
  }
  return fail('tls: failed to parse private key')
}

function goList(items: string[]): string {
  return `[${items.join(' ')}]`
}

/** Fail unless `certPem` holds a certificate whose public key matches the private key in `keyPem`. */
export function checkKeyPair(certPem: Buffer, keyPem: Buffer): void {
  const certBlocks = pemBlocks(certPem)
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE')
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type)
    if (skipped.length === 0) fail('tls: failed to find any PEM data in certificate input')
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      fail('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched')
    }
    fail(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`)
  }
  const skipped: string[] = []
  let keyBlock: PemBlock | undefined
  for (const b of pemBlocks(keyPem)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b
      break
    }
    skipped.push(b.type)
  }
  if (!keyBlock) {
    if (skipped.length === 0) fail('tls: failed to find any PEM data in key input')
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') fail('tls: found a certificate rather than a key in the PEM for the private key')
    fail(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}`)
  }
  let publicKey: KeyObject
  try {
    publicKey = new X509Certificate(certs[0].bytes).publicKey
  } catch {
    return fail('x509: malformed certificate')
  }
  const privateKey = parsePrivateKey((keyBlock as PemBlock).bytes)
  const pubType = publicKey.asymmetricKeyType
  if (pubType !== 'rsa' && pubType !== 'ec' && pubType !== 'ed25519') fail('tls: unknown public key algorithm')
  if (privateKey.asymmetricKeyType !== pubType) fail('tls: private key type does not match public key type')
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' })
  if (!spki(createPublicKey(privateKey)).equals(spki(publicKey))) fail('tls: private key does not match public key')
}
