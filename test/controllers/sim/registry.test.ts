import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  defaultSimConfig,
  imageExists,
  isImageRefError,
  normalizedImage,
  parseImageRef,
  readSimConfig,
  registryAdd,
  registryList,
  registryRemove,
  simConfigFromData,
  writeSimConfig,
} from '../../../reconciler/controllers/sim/index.js'
import { newEnv } from './harness.js'

const Parse = suite('sim: image references')

for (const c of [
  { name: 'official image', ref: 'nginx', norm: 'docker.io/library/nginx:latest' },
  { name: 'tag', ref: 'nginx:1.25', norm: 'docker.io/library/nginx:1.25' },
  { name: 'user repo', ref: 'bitnami/redis:7', norm: 'docker.io/bitnami/redis:7' },
  { name: 'registry host', ref: 'gcr.io/google_containers/update-demo:kitten', norm: 'gcr.io/google_containers/update-demo:kitten' },
  { name: 'host with port', ref: 'localhost:5000/app:v1', norm: 'localhost:5000/app:v1' },
  { name: 'host with port, no tag', ref: 'registry.local:5000/team/app', norm: 'registry.local:5000/team/app:latest' },
  { name: 'digest', ref: `nginx@sha256:${'a'.repeat(64)}`, norm: `docker.io/library/nginx@sha256:${'a'.repeat(64)}` },
  { name: 'tag and digest', ref: `nginx:1.25@sha256:${'b'.repeat(64)}`, norm: `docker.io/library/nginx:1.25@sha256:${'b'.repeat(64)}` },
]) {
  Parse(c.name, () => {
    const r = parseImageRef(c.ref)
    assert.not.ok(isImageRefError(r), JSON.stringify(r))
    if (!isImageRefError(r)) assert.is(normalizedImage(r), c.norm)
  })
}

for (const c of [
  { name: 'empty', ref: '' },
  { name: 'uppercase repository', ref: 'nginx/NGINX' },
  { name: 'bad tag', ref: 'nginx:-bad' },
  { name: 'bad digest', ref: 'nginx@sha256:zz' },
  { name: 'double slash', ref: 'a//b' },
]) {
  Parse(`invalid: ${c.name}`, () => assert.ok(isImageRefError(parseImageRef(c.ref))))
}

const Exists = suite('sim: imageExists')

const cfg = defaultSimConfig()
for (const c of [
  { name: 'listed tag pulls', image: 'gcr.io/google_containers/update-demo:nautilus', ok: true },
  { name: 'other listed tag pulls', image: 'gcr.io/google_containers/update-demo:kitten', ok: true },
  { name: 'unlisted tag of a listed repository fails', image: 'gcr.io/google_containers/update-demo:kitty', ok: false },
  { name: 'latest of a listed repository fails', image: 'gcr.io/google_containers/update-demo', ok: false },
  { name: 'digest always pulls', image: `gcr.io/google_containers/update-demo@sha256:${'c'.repeat(64)}`, ok: true },
  { name: 'unlisted repository pulls', image: 'nginx:1.25', ok: true },
  { name: 'unparsable does not pull', image: 'UPPER/Case', ok: false },
]) {
  Exists(c.name, () => assert.is(imageExists(cfg, c.image), c.ok))
}

Exists('Docker Hub spellings are the same repository', () => {
  const c2 = { ...cfg, registry: { repositories: { nginx: ['1.25'] } } }
  assert.ok(imageExists(c2, 'docker.io/library/nginx:1.25'))
  assert.not.ok(imageExists(c2, 'library/nginx:1.24'))
})

const Store = suite('sim: settings in the API')

Store('defaults without the ConfigMap; write and read back', async () => {
  const { api } = await newEnv()
  assert.equal(await readSimConfig(api), defaultSimConfig())
  const next = defaultSimConfig()
  next.settings.startDelaySeconds = 0
  await writeSimConfig(api, next)
  const cm = await api.get('configmaps', 'kube-system', 'capstan-sim')
  assert.equal(JSON.parse((cm.data as Record<string, string>)['settings.json']), { startDelaySeconds: 0 })
  assert.is((await readSimConfig(api)).settings.startDelaySeconds, 0)
})

Store('registry add / remove / list', async () => {
  const { api } = await newEnv()
  await registryAdd(api, 'gcr.io/google_containers/update-demo:kitty', 'localhost:5000/app:v1')
  assert.equal(await registryList(api), [
    'gcr.io/google_containers/update-demo:kitten',
    'gcr.io/google_containers/update-demo:kitty',
    'gcr.io/google_containers/update-demo:nautilus',
    'localhost:5000/app:v1',
  ])
  await registryRemove(api, 'gcr.io/google_containers/update-demo:kitten', 'localhost:5000/app')
  assert.equal(await registryList(api), ['gcr.io/google_containers/update-demo:kitty', 'gcr.io/google_containers/update-demo:nautilus'])
  const res = await registryRemove(api, 'nothere:1')
  assert.equal(res.errors.map((e) => e.ref), ['nothere:1'])
  const bad = await registryAdd(api, `x@sha256:${'d'.repeat(64)}`)
  assert.is(bad.errors.length, 1)
})

Store('bad stored JSON falls back to defaults with a problem', () => {
  const { config, problems } = simConfigFromData({ 'settings.json': '{nope', 'registry.json': '{"repositories":{"a":["1"]}}' })
  assert.is(config.settings.startDelaySeconds, 3)
  assert.equal(config.registry.repositories, { a: ['1'] })
  assert.equal(problems.map((p) => p.key), ['settings.json'])
})

Parse.run()
Exists.run()
Store.run()
