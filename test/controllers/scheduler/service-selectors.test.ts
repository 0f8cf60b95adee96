import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { KObject } from '../../../reconciler/api/object.js'
import { savedServices } from '../../../reconciler/controllers/scheduler/checkpoint.js'
import { ServiceSelectors } from '../../../reconciler/controllers/scheduler/service-selectors.js'
import { asStored } from '../runtime/seeded-random.js'

const svc = (ns: string, name: string, selector?: Record<string, string> | null): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: ns, name },
  spec: selector === undefined ? {} : { selector },
})

/** The namespace-wide scan the index replaces (GetPodServices, skipping empty selectors as before). */
function scan(services: KObject[], ns: string, labels: Record<string, string>): string[] {
  return services
    .filter((s) => s.metadata.namespace === ns)
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
    .filter((s) => {
      const sel = (s.spec as { selector?: Record<string, string> | null }).selector
      return !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v)
    })
    .map((s) => s.metadata.name!)
}

const ServiceSelectorsSuite = suite('ServiceSelectors')

const cases: Array<{ name: string; services: KObject[]; ns: string; labels: Record<string, string>; want: string[] }> = [
  { name: 'one matching service', services: [svc('a', 'web', { app: 'web' })], ns: 'a', labels: { app: 'web' }, want: ['web'] },
  { name: 'other namespace ignored', services: [svc('b', 'web', { app: 'web' })], ns: 'a', labels: { app: 'web' }, want: [] },
  { name: 'every selector term must match', services: [svc('a', 'web', { app: 'web', tier: 'fe' })], ns: 'a', labels: { app: 'web', tier: 'be' }, want: [] },
  { name: 'filed term present but another absent', services: [svc('a', 'web', { app: 'web', tier: 'fe' })], ns: 'a', labels: { app: 'web' }, want: [] },
  { name: 'empty and missing selectors select nothing', services: [svc('a', 'e', {}), svc('a', 'n'), svc('a', 'z', null)], ns: 'a', labels: { app: 'web' }, want: [] },
  {
    name: 'several, in name order',
    services: [svc('a', 'zeta', { tier: 'fe' }), svc('a', 'alpha', { app: 'web' }), svc('a', 'mid', { app: 'web', tier: 'fe' })],
    ns: 'a',
    labels: { app: 'web', tier: 'fe', other: 'x' },
    want: ['alpha', 'mid', 'zeta'],
  },
]

for (const c of cases) {
  ServiceSelectorsSuite(c.name, () => {
    const idx = new ServiceSelectors()
    for (const s of c.services) idx.set(s)
    assert.equal(
      idx.selecting(c.ns, c.labels).map((s) => s.name),
      c.want,
    )
    assert.equal(scan(c.services, c.ns, c.labels), c.want)
  })
}

ServiceSelectorsSuite('a changed selector is refiled; a removed service is forgotten', () => {
  const idx = new ServiceSelectors()
  idx.set(svc('a', 'web', { app: 'web' }))
  idx.set(svc('a', 'web', { app: 'api' }))
  assert.equal(idx.selecting('a', { app: 'web' }), [])
  assert.equal(
    idx.selecting('a', { app: 'api' }).map((s) => s.name),
    ['web'],
  )
  idx.remove('a', 'web')
  assert.equal(idx.selecting('a', { app: 'api' }), [])
})

ServiceSelectorsSuite('same answer as the scan over generated services and pods', () => {
  // A deterministic generator: selectors over a few keys and values, pods with random label sets.
  let seed = 7
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n)
  const keys = ['app', 'tier', 'env', 'zone']
  const vals = ['a', 'b', 'c']
  const services: KObject[] = []
  const idx = new ServiceSelectors()
  for (let i = 0; i < 300; i++) {
    const sel: Record<string, string> = {}
    for (const k of keys) if (rand(3) === 0) sel[k] = vals[rand(3)]
    const s = svc(['n1', 'n2'][rand(2)], `svc-${rand(1000)}`, rand(10) === 0 ? undefined : sel)
    // A name seen again replaces the earlier service, as an update does.
    const at = services.findIndex((o) => o.metadata.namespace === s.metadata.namespace && o.metadata.name === s.metadata.name)
    if (at >= 0) services.splice(at, 1)
    services.push(s)
    idx.set(s)
  }
  for (let p = 0; p < 300; p++) {
    const labels: Record<string, string> = {}
    for (const k of keys) if (rand(2) === 0) labels[k] = vals[rand(3)]
    const ns = ['n1', 'n2'][rand(2)]
    assert.equal(
      idx.selecting(ns, labels).map((s) => s.name),
      scan(services, ns, labels),
    )
  }
})

ServiceSelectorsSuite('restored from its save: changes and answers as the scan, every record read as saved (never damaged)', () => {
  let seed = 11
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n)
  const keys = ['app', 'tier']
  const vals = ['a', 'b', 'c']
  const services: KObject[] = []
  const put = (idx: ServiceSelectors, s: KObject) => {
    const at = services.findIndex((o) => o.metadata.namespace === s.metadata.namespace && o.metadata.name === s.metadata.name)
    if (at >= 0) services.splice(at, 1)
    services.push(s)
    idx.set(s)
  }
  const first = new ServiceSelectors()
  for (let i = 0; i < 60; i++) {
    const sel: Record<string, string> = {}
    for (const k of keys) if (rand(2) === 0) sel[k] = vals[rand(3)]
    put(first, svc('n1', `svc-${rand(40)}`, sel))
  }
  // As the store hands it back: stored pages, each read when first used.
  const saved = asStored(JSON.parse(JSON.stringify(first.save())), ['services', 'servicesByTerm']) as Record<'services' | 'servicesByTerm', unknown>
  const idx = new ServiceSelectors()
  const parts = savedServices(saved.services, saved.servicesByTerm)
  idx.restore(parts.services, parts.servicesByTerm)
  // Removals and refilings of Services whose terms were never read, then queries.
  for (let step = 0; step < 200; step++) {
    const name = `svc-${rand(40)}`
    if (rand(3) === 0) {
      const at = services.findIndex((o) => o.metadata.name === name)
      if (at >= 0) services.splice(at, 1)
      idx.remove('n1', name)
    } else if (rand(2) === 0) put(idx, svc('n1', name, { [keys[rand(2)]]: vals[rand(3)] }))
    const labels: Record<string, string> = {}
    for (const k of keys) if (rand(2) === 0) labels[k] = vals[rand(3)]
    assert.equal(idx.selecting('n1', labels).map((s) => s.name), scan(services, 'n1', labels), `step ${step}`)
  }
  assert.is(idx.damaged, false)
})

ServiceSelectorsSuite.run()
