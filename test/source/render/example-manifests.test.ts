import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { projectRoot } from '../../../reconciler/paths.js'
import { parseManifests, readManifestPaths } from '../../../reconciler/source/render/index.js'

const examples = suite('manifests/: the example repository')

const root = join(projectRoot(), 'manifests')

function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? manifestFiles(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

for (const file of manifestFiles(root)) {
  const name = file.slice(root.length + 1)
  examples(`${name} parses with no errors; every object has apiVersion, kind and metadata.name`, () => {
    const { objects, errors } = parseManifests(readFileSync(file, 'utf8'), name)
    assert.equal(errors, [])
    assert.ok(objects.length > 0, 'holds at least one object')
    for (const { object } of objects) {
      assert.type(object.apiVersion, 'string')
      assert.type(object.kind, 'string')
      const metadata = object.metadata as { name?: unknown } | undefined
      assert.type(metadata?.name, 'string', `${String(object.kind)} has metadata.name`)
    }
  })
}

examples('the repository holds the walkthroughs, each object once', async () => {
  const { objects, errors } = await readManifestPaths([root], { recursive: true })
  assert.equal(errors, [])
  const ids = objects.map(({ object }) => `${object.kind}/${(object.metadata as { name: string }).name}`)
  assert.equal(new Set(ids).size, ids.length, 'no object declared twice')
  for (const id of [
    'Deployment/update-demo',
    'ConfigMap/example-configmap',
    'Deployment/configmap-example-deployment',
    'Deployment/echoheaders',
    'Service/echoheaders',
    'Ingress/echoheaders',
    'Ingress/test',
    'Deployment/spark-worker',
    'HorizontalPodAutoscaler/spark-worker',
    'Deployment/guestbook',
    'Service/guestbook',
    'NodePool/us-central1',
  ]) {
    assert.ok(ids.includes(id), `has ${id}`)
  }
  const legacy = objects.filter(({ object }) => object.apiVersion === 'extensions/v1beta1')
  assert.equal(legacy.map(({ object }) => object.kind), ['Ingress'], 'exactly one legacy object, an Ingress')
})

examples.run()
