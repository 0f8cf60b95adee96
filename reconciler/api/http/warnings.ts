/** Reading `Warning` response headers (RFC 7234, code 299) back into the messages kube-apiserver sent. */

/** One warning value: `299 - "text"` with an optional quoted date; the text unescaped. */
const WARNING = /(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?/g

/**
 * The texts of a Warning header. Several headers arrive joined by `, ` (fetch's Headers), so values
 * are read one after another rather than split on commas, which the texts may contain.
 */
export function parseWarningHeader(header: string | null | undefined): string[] {
  if (!header) return []
  const out: string[] = []
  WARNING.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = WARNING.exec(header))) {
    if (m[1] !== '299') continue
    out.push(m[3].replace(/\\(.)/g, '$1'))
  }
  return out
}
