import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { checkTlsSecret } from '../../../reconciler/controllers/routing/index.js'
import { makeCert, tlsSecret } from './certs.js'

const DAY = 86_400_000
const foo = makeCert('foo.bar.com')
const wild = makeCert('*.bar.com', ['*.bar.com'])
const cnOnly = makeCert('foo.bar.com', [])
const other = makeCert('other.example')
const now = new Date()

const Cert = suite('routing: TLS secret checks')
for (const c of [
  { name: 'valid for its host', secret: tlsSecret('tls', foo), hosts: ['foo.bar.com'], at: now, want: [] },
  { name: 'missing secret', secret: undefined, hosts: ['foo.bar.com'], at: now, want: ['SecretNotFound'] },
  { name: 'wrong type', secret: tlsSecret('tls', foo, 'default', 'Opaque'), hosts: ['foo.bar.com'], at: now, want: ['SecretTypeInvalid'] },
  { name: 'not a certificate', secret: tlsSecret('tls', { crt: 'garbage', key: foo.key }), hosts: [], at: now, want: ['CertificateInvalid'] },
  { name: 'key of another certificate', secret: tlsSecret('tls', { crt: foo.crt, key: other.key }), hosts: ['foo.bar.com'], at: now, want: ['KeyMismatch'] },
  { name: 'wrong host', secret: tlsSecret('tls', other), hosts: ['foo.bar.com'], at: now, want: ['HostNotCovered'] },
  { name: 'expired', secret: tlsSecret('tls', foo), hosts: ['foo.bar.com'], at: new Date(now.getTime() + 2 * DAY), want: ['CertificateExpired'] },
  { name: 'not yet valid', secret: tlsSecret('tls', foo), hosts: ['foo.bar.com'], at: new Date(now.getTime() - 2 * DAY), want: ['CertificateNotYetValid'] },
  { name: 'wildcard covers one label', secret: tlsSecret('tls', wild), hosts: ['a.bar.com'], at: now, want: [] },
  { name: 'wildcard does not cover two labels', secret: tlsSecret('tls', wild), hosts: ['a.b.bar.com'], at: now, want: ['HostNotCovered'] },
  { name: 'wildcard does not cover the bare domain', secret: tlsSecret('tls', wild), hosts: ['bar.com'], at: now, want: ['HostNotCovered'] },
  { name: 'a wildcard TLS host needs the wildcard in the certificate', secret: tlsSecret('tls', wild), hosts: ['*.bar.com'], at: now, want: [] },
  { name: 'a wildcard TLS host is not covered by one name', secret: tlsSecret('tls', foo), hosts: ['*.bar.com'], at: now, want: ['HostNotCovered'] },
  { name: 'subject CN when there is no SAN', secret: tlsSecret('tls', cnOnly), hosts: ['foo.bar.com'], at: now, want: [] },
]) {
  Cert(c.name, () => {
    const r = checkTlsSecret(c.secret, 'tls', 'default', c.hosts, c.at)
    assert.equal(r.problems.map((p) => p.code), c.want, JSON.stringify(r.problems))
  })
}
Cert('summary of the certificate', () => {
  const r = checkTlsSecret(tlsSecret('tls', foo), 'tls', 'default', [], now)
  assert.equal(r.certificate?.dnsNames, ['foo.bar.com'])
  assert.ok(Date.parse(r.certificate!.notAfter) - Date.parse(r.certificate!.notBefore) >= DAY - 1000)
})
Cert.run()
