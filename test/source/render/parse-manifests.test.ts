import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fieldLine, MAX_DOCUMENT_BYTES, parseFieldPath, parseManifests, type ManifestErrorCode } from '../../../reconciler/source/render/index.js'

const yaml = (lines: string[]) => lines.join('\n') + '\n'

const positions = suite('parseManifests: documents and lines')

const multi = yaml([
  '# a leading comment', //        1
  '---', //                        2
  'apiVersion: v1', //             3
  'kind: ConfigMap',
  'metadata:',
  '  name: one',
  '---', //                        7
  '# only a comment', //           8  (document 1: skipped)
  '---', //                        9
  '', //                           10 (document 2: empty, skipped)
  '---', //                        11
  '', //                           12
  'apiVersion: v1', //             13 (document 3)
  'kind: ConfigMap',
  'metadata: {name: two}',
  '...',
])

positions('objects keep file, document index and the line where they start', () => {
  const { objects, errors } = parseManifests(multi, 'm.yaml')
  assert.equal(errors, [])
  assert.equal(
    objects.map((o) => ({ file: o.file, doc: o.doc, line: o.line, name: (o.object.metadata as { name: string }).name })),
    [
      { file: 'm.yaml', doc: 0, line: 3, name: 'one' },
      { file: 'm.yaml', doc: 3, line: 13, name: 'two' },
    ],
  )
})

positions('an empty file and a file of comments give nothing', () => {
  for (const text of ['', '\n\n', '# nothing here\n# at all\n', '---\n---\n', '--- ~\n', 'null\n']) {
    assert.equal(parseManifests(text, 'e.yaml'), { objects: [], errors: [] }, JSON.stringify(text))
  }
})

positions('values are read as kubectl reads YAML (1.1 scalars, no base-60, timestamps kept as text)', () => {
  const text = yaml(['apiVersion: v1', 'kind: X', 'metadata: {name: x}', 'v:', '  mode: 0644', '  on: yes', '  port: 22:22', '  date: 2001-12-14', '  hex: 0x1F', '  big: 1_000'])
  const { objects } = parseManifests(text, 'v.yaml')
  assert.equal(objects[0].object.v, { mode: 420, true: true, port: '22:22', date: '2001-12-14', hex: 31, big: 1000 })
})

positions('a UTF-8 byte order mark is ignored', () => {
  const { objects, errors } = parseManifests('\ufeffapiVersion: v1\nkind: X\nmetadata: {name: b}\n', 'b.yaml')
  assert.equal(errors, [])
  assert.is(objects[0].line, 1)
})

positions('aliases give independent copies (editing one place does not edit the other)', () => {
  const text = yaml(['apiVersion: v1', 'kind: X', 'metadata:', '  name: a', '  labels: &l {app: web}', 'spec:', '  selector: *l'])
  const o = parseManifests(text, 'a.yaml').objects[0].object as { metadata: { labels: Record<string, string> }; spec: { selector: Record<string, string> } }
  o.metadata.labels.extra = 'yes'
  assert.equal(o.spec.selector, { app: 'web' })
})

positions.run()

const lists = suite('parseManifests: List kinds')

lists('a List is expanded into its items, each with its own line', () => {
  const text = yaml([
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1', // 4
    '  kind: ConfigMap',
    '  metadata: {name: a}',
    '- apiVersion: apps/v1', // 7
    '  kind: Deployment',
    '  metadata:',
    '    name: b',
  ])
  const { objects, errors } = parseManifests(text, 'l.yaml')
  assert.equal(errors, [])
  assert.equal(
    objects.map((o) => [o.object.kind, o.doc, o.item, o.line]),
    [
      ['ConfigMap', 0, 0, 4],
      ['Deployment', 0, 1, 7],
    ],
  )
})

lists('an item of an XList without type fields becomes an X of the list apiVersion', () => {
  const { objects, errors } = parseManifests(yaml(['apiVersion: v1', 'kind: ConfigMapList', 'items:', '- metadata: {name: a}', '  data: {k: v}']), 'l.yaml')
  assert.equal(errors, [])
  assert.equal(objects[0].object, { metadata: { name: 'a' }, data: { k: 'v' }, kind: 'ConfigMap', apiVersion: 'v1' })
})

const listCases: { name: string; text: string; codes: ManifestErrorCode[]; fields: string[] }[] = [
  { name: 'item of a plain List without type fields', text: yaml(['apiVersion: v1', 'kind: List', 'items:', '- metadata: {name: a}']), codes: ['MissingApiVersion', 'MissingKind'], fields: ['items[0].apiVersion', 'items[0].kind'] },
  { name: 'item that is not an object', text: yaml(['apiVersion: v1', 'kind: List', 'items:', '- just text']), codes: ['NotAnObject'], fields: ['items[0]'] },
  { name: 'items that is not a list', text: yaml(['apiVersion: v1', 'kind: List', 'items: {a: 1}']), codes: ['NotAnObject'], fields: ['items'] },
  { name: 'empty List', text: yaml(['apiVersion: v1', 'kind: List', 'items: []']), codes: [], fields: [] },
]

for (const c of listCases) {
  lists(c.name, () => {
    const { objects, errors } = parseManifests(c.text, 'l.yaml')
    assert.is(objects.length, 0)
    assert.equal(errors.map((e) => e.code), c.codes)
    assert.equal(errors.map((e) => e.field), c.fields)
  })
}

lists('nested Lists are flattened', () => {
  const text = yaml(['apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: List', '  items:', '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: deep}}'])
  const { objects } = parseManifests(text, 'n.yaml')
  assert.equal(objects.map((o) => [(o.object.metadata as { name: string }).name, o.line]), [['deep', 7]])
})

lists.run()

const errorsSuite = suite('parseManifests: problems are data')

const errorCases: { name: string; text: string; file?: string; code: ManifestErrorCode; line?: number; column?: number; field?: string; doc?: number }[] = [
  { name: 'YAML syntax error gives line and column', text: yaml(['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x: y']), code: 'YamlSyntax', line: 4, column: 9 },
  { name: 'duplicate key', text: yaml(['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  replicas: 1', '  replicas: 2']), code: 'DuplicateKey', line: 6, column: 3, field: 'spec.replicas' },
  { name: 'a scalar document', text: 'hello\n', code: 'NotAnObject', line: 1 },
  { name: 'a sequence document', text: '- a\n- b\n', code: 'NotAnObject', line: 1 },
  { name: 'missing kind', text: yaml(['apiVersion: v1', 'metadata: {name: x}']), code: 'MissingKind', field: 'kind', line: 1 },
  { name: 'missing apiVersion', text: yaml(['kind: ConfigMap', 'metadata: {name: x}']), code: 'MissingApiVersion', field: 'apiVersion' },
  { name: 'kind that is not a string', text: yaml(['apiVersion: v1', 'kind: 3']), code: 'MissingKind' },
  { name: 'second document broken, first still read', text: yaml(['apiVersion: v1', 'kind: A', '---', 'apiVersion: v1', 'kind: [']), code: 'YamlSyntax', doc: 1 },
  { name: 'JSON syntax error gives line and column', text: '{\n  "apiVersion": "v1",\n  "kind": "X",,\n}\n', file: 'x.json', code: 'JsonSyntax', line: 3, column: 15 },
  { name: 'JSON duplicate field', text: '{"apiVersion": "v1",\n "kind": "A",\n "kind": "B"}', file: 'x.json', code: 'DuplicateKey', line: 3, field: 'kind' },
]

for (const c of errorCases) {
  errorsSuite(c.name, () => {
    const { errors } = parseManifests(c.text, c.file ?? 'e.yaml')
    assert.ok(errors.length >= 1, 'an error is reported')
    const e = errors[0]
    assert.is(e.code, c.code)
    assert.is(e.file, c.file ?? 'e.yaml')
    if (c.line !== undefined) assert.is(e.line, c.line)
    if (c.column !== undefined) assert.is(e.column, c.column)
    if (c.field !== undefined) assert.is(e.field, c.field)
    if (c.doc !== undefined) assert.is(e.doc, c.doc)
  })
}

errorsSuite('a document with an error is left out, the others are kept', () => {
  const { objects, errors } = parseManifests(yaml(['apiVersion: v1', 'kind: A', '---', 'apiVersion: v1', 'kind: [']), 'e.yaml')
  assert.is(objects.length, 1)
  assert.is(errors[0].doc, 1)
})

errorsSuite.run()

const hostile = suite('parseManifests: hostile input')

const billionLaughs = yaml([
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: lol}',
  'data:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((l, i) => `  ${l}: &${l} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`),
])

hostile('a billion-laughs document is refused before it expands', () => {
  const t0 = Date.now()
  const { objects, errors } = parseManifests(billionLaughs + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n', 'bomb.yaml')
  assert.ok(Date.now() - t0 < 1000, 'refused quickly')
  assert.equal(errors.map((e) => [e.code, e.doc]), [['AliasBomb', 0]])
  assert.equal(objects.map((o) => (o.object.metadata as { name: string }).name), ['fine'])
})

hostile('a few ordinary aliases are fine', () => {
  const text = yaml(['apiVersion: v1', 'kind: X', 'metadata: {name: a, labels: &l {app: a}}', 'spec:', '  a: *l', '  b: *l', '  c: *l'])
  assert.equal(parseManifests(text, 'a.yaml').errors, [])
})

hostile('a document over 1.5 MiB is refused; the documents around it are read with the right lines', () => {
  const big = yaml(['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: big}', 'data:', `  blob: "${'x'.repeat(MAX_DOCUMENT_BYTES)}"`])
  const text = yaml(['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: before}', '---']) + big + yaml(['---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: after}'])
  const { objects, errors } = parseManifests(text, 'big.yaml')
  assert.equal(errors.map((e) => [e.code, e.doc, e.line]), [['TooLarge', 1, 4]])
  assert.equal(objects.map((o) => [(o.object.metadata as { name: string }).name, o.doc, o.line]), [
    ['before', 0, 1],
    ['after', 2, 11],
  ])
})

hostile('a document just under the limit is read', () => {
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edge}\ndata:\n  blob: ""\n'
  const text = head.replace('""', `"${'y'.repeat(MAX_DOCUMENT_BYTES - head.length - 10)}"`)
  const { objects, errors } = parseManifests(text, 'edge.yaml')
  assert.equal(errors, [])
  assert.is(objects.length, 1)
})

hostile('an oversized JSON file is refused', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { blob: 'z'.repeat(MAX_DOCUMENT_BYTES) } })
  assert.equal(parseManifests(text, 'big.json').errors.map((e) => e.code), ['TooLarge'])
})

hostile.run()

const json = suite('parseManifests: JSON files')

json('a JSON object, with lines', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j', labels: { a: 'b' } } }, null, 2)
  const { objects, errors } = parseManifests(text, 'cm.json')
  assert.equal(errors, [])
  assert.is(objects[0].line, 1)
  assert.is(fieldLine(objects[0], 'metadata.labels.a'), 7)
})

json('a JSON List', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }] }, null, 2)
  const { objects, errors } = parseManifests(text, 'list.json')
  assert.equal(errors, [])
  assert.equal(objects.map((o) => [o.object.kind, o.item, o.line]), [
    ['ConfigMap', 0, 5],
    ['Secret', 1, 12],
  ])
})

json('JSON values keep JSON meaning (no YAML 1.1 reading of strings)', () => {
  const { objects } = parseManifests('{"apiVersion":"v1","kind":"X","v":{"a":"0644","b":"yes"}}', 'x.json')
  assert.equal(objects[0].object.v, { a: '0644', b: 'yes' })
})

json('text that starts with { is JSON when the name does not say YAML (stdin)', () => {
  const { objects } = parseManifests('  {"apiVersion":"v1","kind":"X"}', 'STDIN')
  assert.is(objects.length, 1)
})

json.run()

const lines = suite('fieldLine')

const deployment = yaml([
  'apiVersion: apps/v1', //                1
  'kind: Deployment', //                   2
  'metadata:', //                          3
  '  name: web', //                        4
  '  labels: {app.kubernetes.io/name: web}', // 5
  'spec:', //                              6
  '  template:', //                        7
  '    spec:', //                          8
  '      containers:', //                  9
  '      - name: sidecar', //              10
  '        image: busybox', //             11
  '      - name: web', //                  12
  '        image: nginx', //               13
  '        ports:', //                     14
  '        - containerPort: 80', //        15
])

const lineCases: { name: string; path: string | (string | number)[]; line: number | undefined; exact?: boolean }[] = [
  { name: 'nested field by path string', path: 'spec.template.spec.containers[1].image', line: 13 },
  { name: 'nested field by segments', path: ['spec', 'template', 'spec', 'containers', 0, 'image'], line: 11 },
  { name: 'list item', path: 'spec.template.spec.containers[1]', line: 12 },
  { name: 'map key with dots in brackets', path: 'metadata.labels[app.kubernetes.io/name]', line: 5 },
  { name: 'list item chosen by key', path: '.spec.template.spec.containers[name="web"].ports[0].containerPort', line: 15 },
  { name: 'top-level field', path: 'kind', line: 2 },
  { name: 'empty path is the object', path: [], line: 1 },
  { name: 'missing field: nearest existing parent', path: 'spec.template.spec.containers[1].resources.limits', line: 12 },
  { name: 'missing field with exact', path: 'spec.replicas', line: undefined, exact: true },
  { name: 'index past the end: the list', path: 'spec.template.spec.containers[5].image', line: 9 },
]

for (const c of lineCases) {
  lines(c.name, () => {
    const m = parseManifests(deployment, 'd.yaml').objects[0]
    assert.is(fieldLine(m, c.path as never, { exact: c.exact }), c.line)
  })
}

lines('works for objects of later documents and of List items, and on the object itself', () => {
  const text = yaml(['apiVersion: v1', 'kind: A', '---', 'apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: B', '  metadata:', '    name: b'])
  const { objects } = parseManifests(text, 'x.yaml')
  assert.is(fieldLine(objects[1], 'metadata.name'), 10)
  assert.is(fieldLine(objects[1].object, 'metadata.name'), 10)
  assert.is(fieldLine({ ...objects[1] }, 'kind'), 8)
})

lines('follows merge keys and aliases', () => {
  const text = yaml(['apiVersion: v1', 'kind: X', 'base: &b', '  size: 3', 'spec:', '  <<: *b', '  other: 1'])
  const m = parseManifests(text, 'm.yaml').objects[0]
  assert.equal(m.object.spec, { size: 3, other: 1 })
  assert.is(fieldLine(m, 'spec.size'), 4)
})

lines('an object not read from a file has no lines', () => {
  assert.is(fieldLine({ apiVersion: 'v1', kind: 'X' }, 'kind'), undefined)
})

lines('parseFieldPath', () => {
  assert.equal(parseFieldPath('spec.template.spec.containers[0].image'), ['spec', 'template', 'spec', 'containers', 0, 'image'])
  assert.equal(parseFieldPath('data[a.b]'), ['data', 'a.b'])
  assert.equal(parseFieldPath('.spec.containers[name="x"].image'), ['spec', 'containers', { key: 'name', value: 'x' }, 'image'])
})

lines.run()
