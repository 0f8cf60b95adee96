/** Turns an API error about one manifest object into lines that name file, line, document and field. */
import type { ApiError } from '../api/errors.js'
import { fieldLine, type ManifestObject } from '../source/render/index.js'

export interface Problem {
  text: string
}

/** `file:line: document N: Kind "name": field: message`, one per cause (or one for the whole error). */
export function describeProblem(m: ManifestObject, err: ApiError): Problem[] {
  const o = m.object as { kind?: string; metadata?: { name?: string } }
  const who = `${o.kind} "${o.metadata?.name ?? ''}"`
  const causes = err.statusDetails.causes ?? []
  if (!causes.length) return [{ text: `${m.file}:${m.line}: document ${m.doc}: ${who}: ${err.message}` }]
  return causes.map((c) => {
    const field = c.field?.replace(/^\./, '')
    const line = (field && fieldLine(m, field)) || m.line
    return { text: `${m.file}:${line}: document ${m.doc}: ${who}: ${field ? `${field}: ` : ''}${c.message}` }
  })
}
