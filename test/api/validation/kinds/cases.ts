/** Shared table runner for the kind validation suites: valid objects, then one broken rule per case. */
import * as assert from 'uvu/assert'
import type { Test } from 'uvu'
import { applyDefaults } from '../../../../reconciler/api/defaults/index.js'
import type { StatusCause } from '../../../../reconciler/api/errors.js'
import { clone, type KObject } from '../../../../reconciler/api/object.js'
import { validateKind } from '../../../../reconciler/api/validation/kinds/index.js'

export interface Case {
  name: string
  /** Changes the valid base object (before defaulting) into the broken one. */
  mutate: (o: any) => void // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures poke at arbitrary JSON
  /** The stored object for an update; the base object when `update` is true. */
  update?: boolean
  field: string
  reason: string
  /** The exact message, where reading like kube-apiserver is the point. */
  message?: string
}

/** Defaults then validates, as the API server does on create (or update when `old` is given). */
export function validate(obj: KObject, old?: KObject): StatusCause[] {
  const o = clone(obj)
  applyDefaults(o)
  let stored: KObject | undefined
  if (old) {
    stored = clone(old)
    applyDefaults(stored)
  }
  return validateKind(o, stored)
}

const show = (causes: StatusCause[]): string => causes.map((c) => `${c.field}: ${c.reason}: ${c.message}`).join('\n')

/** Registers one test per case on the suite, plus one asserting the base is valid. */
export function runCases(test: Test, base: () => KObject, cases: Case[]): void {
  test('the valid object passes', () => {
    const causes = validate(base())
    assert.equal(causes, [], show(causes))
  })
  for (const c of cases) {
    test(c.name, () => {
      const o = base()
      c.mutate(o)
      const causes = c.update ? validate(o, base()) : validate(o)
      const hit = causes.find((x) => x.field === c.field && x.reason === c.reason)
      assert.ok(hit, `expected ${c.field} ${c.reason}, got:\n${show(causes)}`)
      if (c.message !== undefined) assert.is(hit!.message, c.message)
    })
  }
}
