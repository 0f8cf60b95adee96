import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { stringify } from 'yaml'
import { planYaml } from '../../../reconciler/gitops/plan/compare.js'
import { planYamlText } from '../../../reconciler/gitops/plan/plan-yaml.js'

const text = suite('planYamlText: byte for byte what yaml stringify writes')

const reference = (o: Record<string, unknown>) => stringify(o, { lineWidth: 0 })

const cases: Array<{ name: string; obj: Record<string, unknown> }> = [
  {
    name: 'a Deployment',
    obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: { 'capstan.dev/source': 'apps/web/deployment.yaml' }, labels: { 'app.kubernetes.io/managed-by': 'capstan' }, name: 'web', namespace: 'bench' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1.27', name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }], dnsPolicy: 'ClusterFirst' } } } },
  },
  { name: 'a masked Secret', obj: { apiVersion: 'v1', data: { password: '(sensitive, 8 bytes, changed)' }, kind: 'Secret', type: 'Opaque' } },
  { name: 'empty maps and lists, nulls, booleans', obj: { a: [], b: {}, c: null, d: true, e: false, f: [[], {}, null, [1, [2, 3]], { x: [] }] } },
  { name: 'lists of lists and maps', obj: { l: [[{ a: 1, b: { c: 2 } }, 'x'], { m: [{ n: [1] }] }] } },
  { name: 'strings that need quotes', obj: { a: '80', b: 'true', c: 'null', d: '~', e: '1e3', f: '0x1f', g: '.inf', h: '', i: ' x', j: 'a: b', k: 'a #b', l: '- x', m: 'a:', n: '@x', o: "it's", p: '-1', q: '0o7', r: '1.5', s: '-', t: '?', u: 'x ', v: '#x' } },
  { name: 'strings written plain', obj: { a: 'yes', b: 'on', c: '12:30', d: '2001-12-14', e: '-x', f: 'a#b', g: 'http://x:1/y', h: 'a b c', i: 'nginx@sha256:abc', j: '(sensitive, 3 bytes)', k: 'a,b', l: 'a[b]', m: "a'b" } },
  { name: 'what goes to yaml: multi-line, non-ASCII, escapes, fractions, quoted keys', obj: { a: 'one\ntwo', b: 'héllo', c: 'a"b', d: 'a\\b', e: 1.5, f: -0, g: 2 ** 60, '80': 'x', 'a: b': 1, h: '\t', i: '--- x', j: '...' } },
  { name: 'an empty object', obj: {} },
]

for (const c of cases) text(c.name, () => assert.is(planYamlText(c.obj), reference(c.obj)))

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const STRINGS = ['web', 'x', '', ' ', 'a b', 'a: b', 'a:b', 'a:', ':a', '-', '-a', '- a', '?', '?a', '? a', '#', 'a#', 'a #', '#a', 'yes', 'No', 'true', 'FALSE', 'null', 'Null', '~', '0', '01', '0x1', '0o1', '1e5', '1.', '.5', '+1', '-1', '.inf', '-.Inf', '.nan', '1_000', '12:30', "it's", 'a"b', '[a]', 'a[b]', '{a}', 'a{b}', ',a', 'a,b', '&a', 'a&b', '*a', '!a', '|', '>', '%a', '@a', '`a', "'a'", '"a"', 'x ', ' x', '---', '--- a', '...', 'a---', '(sensitive, 4 bytes)', 'a\nb', 'é', 'a\\b', '\t']
const NUMBERS = [0, 1, -1, 80, 65535, 1.5, -0, 2 ** 53, 1e21, NaN, Infinity]

fuzz()
function fuzz() {
  text('2,000 generated objects', () => {
    const r = rng(7)
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]
    const value = (depth: number): unknown => {
      const x = r()
      if (depth < 4 && x < 0.2) return map(depth + 1)
      if (depth < 4 && x < 0.3) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1))
      if (x < 0.75) return pick(STRINGS)
      if (x < 0.85) return pick(NUMBERS)
      if (x < 0.95) return r() < 0.5
      return null
    }
    const map = (depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {}
      const n = Math.floor(r() * 5)
      for (let i = 0; i < n; i++) out[r() < 0.9 ? pick(['name', 'image', 'app.kubernetes.io/name', 'a', 'b', 'spec', 'ports']) : pick(STRINGS)] = value(depth)
      return out
    }
    for (let i = 0; i < 2_000; i++) {
      const o = map(0)
      assert.is(planYamlText(o), reference(o), JSON.stringify(o))
    }
  })
}

text('planYaml: an absent side is the empty text', () => {
  assert.is(planYaml(undefined), '')
})

text.run()
