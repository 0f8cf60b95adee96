/** RelaxedJSONPathExpression: custom-columns field specs "a.b", ".a.b", "{a.b}" or "{.a.b}" → "{.a.b}". */

const jsonRegexp = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/

/** Normalizes a custom-columns field spec into a JSONPath template; throws on a bad spec. */
export function relaxedJsonPathExpression(pathExpression: string): string {
  if (pathExpression.length === 0) return pathExpression
  const m = jsonRegexp.exec(pathExpression)
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
  return `{.${m[1] ?? m[2]}}`
}
