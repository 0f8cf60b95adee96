import { readFileSync } from 'node:fs'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { renderTypes, typesFile } from '../../scripts/gen-types.js'

const fresh = suite('generated types')

fresh('reconciler/api/generated/types.ts matches schemas/ (run npm run gen:types if not)', async () => {
  const committed = readFileSync(typesFile, 'utf8')
  const rendered = await renderTypes()
  assert.ok(committed === rendered, 'reconciler/api/generated/types.ts is stale: run npm run gen:types')
})

fresh.run()
