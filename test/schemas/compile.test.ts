import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type AnySchema } from 'ajv'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { schemasDir } from '../../reconciler/paths.js'
import { schemaKinds } from '../../reconciler/api/schema/index.js'
import { renderValidators, validatorFormats } from '../../scripts/gen-schemas.js'

const kinds = [
  'ConfigMap', 'Deployment', 'Endpoints', 'Event', 'HorizontalPodAutoscaler', 'Ingress', 'Namespace',
  'Node', 'NodePool', 'Pod', 'ReplicaSet', 'Secret', 'Service', 'SyncRecord',
]

const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(schemasDir(), file), 'utf8'))

const compile = suite('schemas compile')

compile('every expected kind has a schema file', () => {
  assert.equal(schemaKinds(), kinds)
})

const ajv = new Ajv({ allErrors: true, strict: false })
for (const [name, format] of Object.entries(validatorFormats)) ajv.addFormat(name, format)
ajv.addSchema(read('definitions.json') as AnySchema)

for (const kind of kinds) {
  compile(`${kind}: compiles with ajv and carries its group-version-kind`, () => {
    const schema = read(`${kind.toLowerCase()}.json`)
    assert.is(schema.$schema, 'http://json-schema.org/draft-07/schema#')
    const gvk = schema['x-kubernetes-group-version-kind'] as { kind: string }[]
    assert.is(gvk[0].kind, kind)
    assert.type(ajv.compile(schema as AnySchema), 'function')
  })
}

compile('every $ref resolves to a definition', () => {
  const defs = read('definitions.json').definitions as Record<string, unknown>
  const missing: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (!node || typeof node !== 'object') return
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = v.slice(v.lastIndexOf('/') + 1)
        if (!defs[name]) missing.push(v)
      } else walk(v)
    }
  }
  for (const file of readdirSync(schemasDir())) if (file.endsWith('.json')) walk(read(file))
  assert.equal(missing, [])
})

compile('schemas/validators.cjs matches the schema files (run npm run gen:schemas if not)', () => {
  const files: Record<string, string> = {}
  for (const file of readdirSync(schemasDir())) if (file.endsWith('.json')) files[file] = readFileSync(join(schemasDir(), file), 'utf8')
  const committed = readFileSync(join(schemasDir(), 'validators.cjs'), 'utf8')
  assert.ok(renderValidators(files) === committed, 'schemas/validators.cjs is stale: run npm run gen:schemas')
})

compile.run()
