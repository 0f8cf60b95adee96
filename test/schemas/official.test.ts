/**
 * Checks capstan's schemas against the official Kubernetes v1.32 OpenAPI documents (when
 * ../shared/k8s-openapi is present): every field capstan declares for a Kubernetes kind exists
 * there with the same type and list annotations, no official field is missing (it would be
 * rejected as a typo), and `npm run gen:schemas` would write the committed files.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { schemasDir } from '../../reconciler/paths.js'
import { kubernetesKinds, openapiDir, renderSchemas } from '../../scripts/gen-schemas.js'

type Schema = { [key: string]: unknown }

const official = suite('schemas vs the official OpenAPI')

const compared = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-map-type',
]

if (!existsSync(openapiDir)) {
  console.log(`official.test.ts: skipped, ${openapiDir} not found`)
} else {
  const docs = ['api/v1.json', 'apis/apps/v1.json', 'apis/autoscaling/v2.json', 'apis/networking.k8s.io/v1.json']
  const officialDefs: Record<string, Schema> = {}
  for (const d of docs) Object.assign(officialDefs, JSON.parse(readFileSync(join(openapiDir, d), 'utf8')).components.schemas)
  const ours = JSON.parse(readFileSync(join(schemasDir(), 'definitions.json'), 'utf8')).definitions as Record<string, Schema>

  /** Follows a reference (direct or `allOf: [{$ref}]`): [definition name, definition, the referring node]. */
  const deref = (s: Schema, defs: Record<string, Schema>): [string | undefined, Schema] => {
    const all = s.allOf as Schema[] | undefined
    const ref = (typeof s.$ref === 'string' ? s.$ref : all?.length === 1 ? (all[0].$ref as string | undefined) : undefined) ?? undefined
    if (!ref) return [undefined, s]
    const name = ref.slice(ref.lastIndexOf('/') + 1)
    const def = defs[name]
    if (!def) throw new Error(`unresolved ${ref}`)
    return [name, def]
  }

  /** The JSON types a node admits, sorted (`oneOf` of types counts as their union). */
  const types = (s: Schema): string => {
    if (s.type) return ([] as string[]).concat(s.type as string | string[]).sort().join('|')
    if (Array.isArray(s.oneOf)) return (s.oneOf as Schema[]).map((o) => String(o.type)).sort().join('|')
    return 'any'
  }

  /** Compares our node with the official node at `path`; collects problems. */
  const compare = (mine: Schema, theirs: Schema, path: string, problems: string[], seen: Set<string>): void => {
    for (const key of compared) {
      if (JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) {
        problems.push(`${path}: ${key} ${JSON.stringify(mine[key])} ≠ official ${JSON.stringify(theirs[key])}`)
      }
    }
    const [myName, myDef] = deref(mine, ours)
    const [theirName, theirDef] = deref(theirs, officialDefs)
    if (myName && theirName) {
      const key = `${myName}|${theirName}`
      if (seen.has(key)) return
      seen.add(key)
      for (const k of compared) {
        if (JSON.stringify(myDef[k]) !== JSON.stringify(theirDef[k])) problems.push(`${path} (${myName}): ${k} differs`)
      }
    }
    if (types(myDef) !== types(theirDef)) {
      problems.push(`${path}: type ${types(myDef)} ≠ official ${types(theirDef)}`)
      return
    }
    if (myDef['x-capstan-opaque'] || myDef['x-kubernetes-preserve-unknown-fields']) return
    if (myDef.items) compare(myDef.items as Schema, theirDef.items as Schema, `${path}[]`, problems, seen)
    if (typeof myDef.additionalProperties === 'object') {
      compare(myDef.additionalProperties as Schema, theirDef.additionalProperties as Schema, `${path}[*]`, problems, seen)
    }
    const myProps = (myDef.properties ?? {}) as Record<string, Schema>
    const theirProps = (theirDef.properties ?? {}) as Record<string, Schema>
    for (const name of Object.keys(myProps)) {
      if (!theirProps[name]) problems.push(`${path}.${name}: not in the official schema`)
      else compare(myProps[name], theirProps[name], `${path}.${name}`, problems, seen)
    }
    for (const name of Object.keys(theirProps)) {
      if (!myProps[name]) problems.push(`${path}.${name}: official field not declared (it would be rejected as unknown)`)
    }
  }

  for (const [kind, openapiName] of Object.entries(kubernetesKinds)) {
    official(`${kind}: fields, types and list annotations match ${openapiName}`, () => {
      const mine = JSON.parse(readFileSync(join(schemasDir(), `${kind.toLowerCase()}.json`), 'utf8')) as Schema
      const theirs = officialDefs[openapiName]
      assert.equal(mine['x-kubernetes-group-version-kind'], theirs['x-kubernetes-group-version-kind'])
      const problems: string[] = []
      compare(mine, theirs, kind, problems, new Set())
      assert.equal(problems, [])
    })
  }

  official('npm run gen:schemas would write the committed schema files', () => {
    const rendered = renderSchemas()
    for (const [file, text] of Object.entries(rendered)) {
      assert.ok(readFileSync(join(schemasDir(), file), 'utf8') === text, `schemas/${file} is stale: run npm run gen:schemas`)
    }
  })
}

official.run()
