import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LineCounter, parseAllDocuments } from 'yaml'
import { parseSimpleYaml } from '../../../reconciler/source/render/parse-simple-yaml.js'
import { parseYamlManifests } from '../../../reconciler/source/render/parse-yaml.js'
import { plainData } from '../../../reconciler/source/render/plain-data.js'
import { fieldLine } from '../../../reconciler/source/render/positions.js'
import { projectRoot } from '../../../reconciler/paths.js'
import { manifestYamlOptions } from '../../../reconciler/source/render/yaml-options.js'

/** What the `yaml` package gives, per document: errors, the value as the render takes it, the content's line. */
function reference(text: string): Array<{ errors: number; value: unknown; line: number }> {
  const lines = new LineCounter()
  return parseAllDocuments(text, { ...manifestYamlOptions, lineCounter: lines }).map((d) => {
    const value = d.errors.length || d.contents === null ? null : plainData(d.toJS({ maxAliasCount: 100 }))
    return { errors: d.errors.length, value, line: d.contents?.range ? lines.linePos(d.contents.range[0]).line : 0 }
  })
}

/** The fast reader agrees with the `yaml` package, or leaves the text to it; returns whether it read the text. */
function agrees(text: string): boolean {
  const fast = parseSimpleYaml(text)
  if (!fast) return false
  const ref = reference(text)
  assert.equal(ref.map((r) => r.errors), ref.map(() => 0), `the fast reader read a text with errors: ${JSON.stringify(text)}`)
  assert.equal(fast.map((d) => d.value), ref.map((r) => r.value), JSON.stringify(text))
  assert.equal(fast.map((d) => (d.value === null ? 0 : d.line)), ref.map((r) => (r.value === null ? 0 : r.line)), JSON.stringify(text))
  return true
}

const cases = suite('parseSimpleYaml: what it reads equals the yaml package')

const read: Array<{ name: string; text: string }> = [
  { name: 'a Deployment', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n          protocol: TCP\n        args: [] \n'.replace('        args: [] \n', '') },
  { name: 'YAML 1.1 scalars', text: 'a: yes\nb: No\nc: on\nd: 0644\ne: 1_000\nf: 0x1F\ng: 1e3\nh: .5\ni: ~\nj: null\nk: 12:30\nl: 2001-12-14\nm: -1\nplus: +1\no: .inf\nq: y\nr: 1.5\ns: 99999999999999999999\nt: 0b101\n' },
  { name: 'quoted scalars and keys', text: `a: "80"\nb: 'it''s'\n"c d": x\n'e': ""\nf: ''\ng: "a #b"\nh: 'x' # c\n` },
  { name: 'comments and blank lines', text: '# head\n\napiVersion: v1 # trailing\nkind: ConfigMap\n\n  # indented comment\ndata:\n  a: b#c\n  b: b #c\n' },
  { name: 'documents', text: '# c\n---\na: 1\n---\n---\n# only\n---\nb: 2\n--- # c\nc: 3\n---\n' },
  { name: 'sequences at the key indent and deeper', text: 'a:\n- 1\n- x: 1\n  z:\n  - 2\n-\n  - 3\n- \nb:\n    - c\n    -   d: e\n        f: g\n' },
  { name: 'empty values', text: 'a:\nb:\n  c:\nd: x\n' },
  { name: 'URLs and colons', text: 'url: http://example.com:8080/x\nhttp://k: v\nimage: reg:5000/app@sha256:abc\n' },
  { name: 'root map indented', text: '  a: 1\n  b: 2\n' },
  { name: 'spaces before the colon', text: 'a  : 1\n' },
  { name: 'empty flow collections', text: 'a: []\nb: {} # c\nc:\n- []\n- {}\n' },
]
for (const c of read) cases(`${c.name}: read, and equal`, () => assert.ok(agrees(c.text)))

const left: Array<{ name: string; text: string }> = [
  { name: 'an anchor and alias', text: 'a: &x 1\nb: *x\n' },
  { name: 'a merge key', text: 'a: {x: 1}\nb:\n  <<: {y: 2}\n' },
  { name: 'a flow map', text: 'a: {x: 1}\n' },
  { name: 'a flow sequence', text: 'a: [1, 2]\n' },
  { name: 'a block scalar', text: 'a: |\n  text\n' },
  { name: 'a folded scalar', text: 'a: >\n  text\n' },
  { name: 'a tag', text: 'a: !!str 1\n' },
  { name: 'a multi-line plain scalar', text: 'a: one\n  two\n' },
  { name: 'an escaped double-quoted scalar', text: 'a: "x\\ny"\n' },
  { name: 'a duplicate key', text: 'a: 1\na: 2\n' },
  { name: 'a tab', text: 'a:\t1\n' },
  { name: 'CRLF line ends', text: 'a: 1\r\nb: 2\r\n' },
  { name: 'non-ASCII text', text: 'a: héllo\n' },
  { name: 'a document end marker', text: 'a: 1\n...\n' },
  { name: 'content after ---', text: '--- a: 1\n' },
  { name: 'a root scalar', text: 'hello\n' },
  { name: 'a nested mapping in a compact mapping', text: 'a: b: c\n' },
  { name: 'a nested sequence on one line', text: '- - a\n' },
  { name: 'a boolean key', text: 'yes: 1\n' },
  { name: 'a number key', text: '80: http\n' },
  { name: 'a __proto__ key', text: '__proto__: 1\n' },
  { name: 'bad indentation', text: 'a:\n    b: 1\n  c: 2\n' },
  { name: 'a directive', text: '%YAML 1.1\n---\na: 1\n' },
  { name: 'a complex key', text: '? a\n: 1\n' },
]
for (const c of left) cases(`${c.name}: left to the yaml package`, () => assert.is(parseSimpleYaml(c.text), undefined))

cases.run()

const fuzz = suite('parseSimpleYaml: generated texts')

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

const SCALARS = ['web', 'nginx:1.27', '80', '0644', '1_000', 'yes', 'no', 'On', 'true', 'False', '~', 'null', '', '"x"', "'y'", "'it''s'", '"a #b"', 'a#b', 'a #c', '1e3', '.5', '-1', '+2', '0x1f', '12:30', '2001-12-14', 'http://x:1/y', 'y', 'N', '.inf', '.NaN', '0o17', '0b11', '1.0', '99999999999999999999', 'x y  ', 'a[b]', 'a{b}', 'a,b', 'a&b', 'a*b', 'a!b', "a'b", 'a"b', 'a::b', '-x', 'a -b', '""', "''", '" x "', '[]', '{}', '[] # c', '{}  ']
const ODD_SCALARS = ['[ ]', '{ }', '[] x', '{}x', '[]]', 'a: b', 'a:', '-', '- x', '[1]', '{a: 1}', '&a x', '*a', '!x y', '|', '>', '"esc\\n"', '@x', '`x', '%x', '?x', ':x', ',x', '#x', '"x', "'x", '"x" y', "'x'y", '- - x']
const KEYS = ['name', 'image', 'app.kubernetes.io/name', 'a b', '"q"', "'s'", 'x', 'x', 'k-1', 'a.b', 'a#b', '"a: b"', "'y'", '-k', 'k:', 'http://h', 'spec']
const ODD_KEYS = ['yes', '80', '<<', '__proto__', '? k', 'n', '~', '"<<"', '&a k', '*a', '!t k', '[a]', '{a}', '#k', '"unclosed', 'a #b']

function generate(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]
  const scalar = () => (r() < 0.03 ? pick(ODD_SCALARS) : pick(SCALARS))
  const keyOf = () => (r() < 0.02 ? pick(ODD_KEYS) : pick(KEYS))
  const out: string[] = []
  const block = (indent: number, depth: number): void => {
    const pad = ' '.repeat(indent)
    const n = 1 + Math.floor(r() * 4)
    const seq = r() < 0.3
    for (let i = 0; i < n; i++) {
      if (r() < 0.1) out.push(r() < 0.5 ? '' : `${' '.repeat(Math.floor(r() * 6))}# c`)
      const head = seq ? `${pad}-${pick([' ', ' ', '  '])}` : pad
      const key = seq && r() < 0.5 ? '' : `${keyOf()}${pick([':', ':', ':', ' :'])}`
      if (depth < 3 && r() < 0.35) {
        if (key === '') {
          out.push(`${pad}-`)
          block(indent + 2, depth + 1)
        } else {
          out.push(`${head}${key}${r() < 0.2 ? ' # c' : ''}`)
          block(indent + (r() < 0.15 ? 0 : pick([1, 2, 2, 4])), depth + 1)
        }
      } else {
        out.push(`${head}${key}${key ? ' ' : ''}${scalar()}${r() < 0.1 ? ' # c' : ''}`)
        if (r() < 0.02) out.push(`${pad}  continued`)
      }
    }
  }
  const docs = 1 + Math.floor(r() * 3)
  for (let d = 0; d < docs; d++) {
    if (d > 0 || r() < 0.3) out.push(pick(['---', '---', '--- # c', '---  ']))
    if (r() < 0.1) continue
    block(r() < 0.1 ? 2 : 0, 0)
  }
  return out.join('\n') + (r() < 0.8 ? '\n' : '')
}

fuzz('3,000 generated texts: each read equals the yaml package, or is left to it', () => {
  const r = rng(6)
  let readCount = 0
  for (let i = 0; i < 3_000; i++) if (agrees(generate(r))) readCount++
  // Enough of them take the fast path for the comparison to mean something.
  assert.ok(readCount > 300, `only ${readCount} read`)
})

fuzz.run()

const manifests = suite('parseYamlManifests: the fast path gives what the full path gives')

const file = [
  '# a Deployment and a Service',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: web',
  '        image: nginx',
  '        ports:',
  '        - containerPort: 80',
  '---',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  'spec:',
  '  ports:',
  '  - port: 80',
  '',
].join('\n')

const fieldCases: Array<{ name: string; doc: number; path: string }> = [
  { name: 'a container image', doc: 0, path: 'spec.template.spec.containers[0].image' },
  { name: 'a port by name', doc: 0, path: 'spec.template.spec.containers[name="web"].ports[0].containerPort' },
  { name: 'a field that is missing (the deepest part that exists)', doc: 0, path: 'spec.template.spec.containers[0].resources.limits' },
  { name: 'a Service port', doc: 2, path: 'spec.ports[0].port' },
]

manifests('objects, documents and lines', () => {
  const fast = parseYamlManifests(file, 'f.yaml')
  const full = parseYamlManifests(file, 'f.yaml', { simple: false })
  assert.equal(fast, full)
  assert.equal(fast.objects.map((o) => [o.doc, o.line]), [[0, 2], [2, 16]])
})

for (const c of fieldCases) {
  manifests(`fieldLine of ${c.name}`, () => {
    const fast = parseYamlManifests(file, 'f.yaml').objects.find((o) => o.doc === c.doc)!
    const full = parseYamlManifests(file, 'f.yaml', { simple: false }).objects.find((o) => o.doc === c.doc)!
    assert.ok(fieldLine(full, c.path) !== undefined)
    assert.is(fieldLine(fast, c.path), fieldLine(full, c.path))
  })
}

manifests('a List, an object without kind and a bad document go the full way (errors as before)', () => {
  for (const text of ['apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n', 'apiVersion: v1\nmetadata:\n  name: a\n', 'a: 1\n---\n- x\n']) {
    assert.equal(parseYamlManifests(text, 'f.yaml'), parseYamlManifests(text, 'f.yaml', { simple: false }))
  }
})

manifests('every YAML file of manifests/ and fixtures/: the same both ways', () => {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.ya?ml$/.test(name)) files.push(path)
    }
  }
  for (const dir of ['manifests', 'fixtures']) walk(join(projectRoot(), dir))
  assert.ok(files.length > 0)
  let fast = 0
  for (const path of files) {
    const text = readFileSync(path, 'utf8')
    if (parseSimpleYaml(text)) fast++
    assert.equal(parseYamlManifests(text, path), parseYamlManifests(text, path, { simple: false }), path)
  }
  assert.ok(fast > 0)
})

manifests.run()
