/**
 * A unified diff of two texts by lines: Myers' O((N+M)·D) shortest edit script, hunks with three
 * lines of context as `diff -u` prints them. Written here (not the `diff` package, which is only a
 * dev dependency's dependency) because capstan's runtime needs it.
 */

type Edit = { op: ' ' | '-' | '+'; line: string }

/** The shortest edit script from `a` to `b` (Myers 1986, with the trace kept for backtracking). */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  // Trim the common prefix and suffix: most diffs of a manifest touch a few lines.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const A = a.slice(start, endA)
  const B = b.slice(start, endB)
  const n = A.length
  const m = B.length
  const max = n + m
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = n === 0 && m === 0
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && A[x] === B[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = true
        break
      }
    }
  }
  // Walk back through the trace from (n, m).
  const middle: Edit[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]
    const k = x - y
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1
    const prevX = vd[offset + prevK]
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      x--
      y--
      middle.push({ op: ' ', line: A[x] })
    }
    if (x === prevX) middle.push({ op: '+', line: B[--y] })
    else middle.push({ op: '-', line: A[--x] })
  }
  while (x > 0 && y > 0) {
    x--
    y--
    middle.push({ op: ' ', line: A[x] })
  }
  while (y > 0) middle.push({ op: '+', line: B[--y] })
  while (x > 0) middle.push({ op: '-', line: A[--x] })
  const edits = middle.reverse()
  return [...a.slice(0, start).map((line) => ({ op: ' ' as const, line })), ...edits, ...a.slice(endA).map((line) => ({ op: ' ' as const, line }))]
}

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** The diff of a text against nothing: `@@ -0,0 +1,N @@` (or `-1,N +0,0`) and every line. */
function wholeText(op: '+' | '-', lines: string[], from: string, to: string): string {
  const n = lines.length
  const head = op === '+' ? `@@ -0,0 +1,${n} @@` : `@@ -1,${n} +0,0 @@`
  return `--- ${from}\n+++ ${to}\n${head}\n${op}${lines.join(`\n${op}`)}\n`
}

/** `diff -u` of two texts with `context` lines around each change; '' when they are equal. */
export function unifiedDiff(before: string, after: string, { from = 'a', to = 'b', context = 3 }: { from?: string; to?: string; context?: number } = {}): string {
  if (before === after) return ''
  // One side empty (a create or a prune): a single hunk of every line, as the general path makes it.
  if (before === '' || after === '') return wholeText(before === '' ? '+' : '-', splitLines(before || after), from, to)
  const edits = diffLines(splitLines(before), splitLines(after))
  const changed = edits.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0)
  if (!changed.length) return ''
  const out = [`--- ${from}`, `+++ ${to}`]
  let i = 0
  while (i < changed.length) {
    // A hunk: changes closer than 2·context lines apart join.
    let j = i
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++
    const lo = Math.max(0, changed[i] - context)
    const hi = Math.min(edits.length - 1, changed[j] + context)
    let aLine = 1
    let bLine = 1
    for (let e = 0; e < lo; e++) {
      if (edits[e].op !== '+') aLine++
      if (edits[e].op !== '-') bLine++
    }
    const body = edits.slice(lo, hi + 1)
    const aLen = body.filter((e) => e.op !== '+').length
    const bLen = body.filter((e) => e.op !== '-').length
    out.push(`@@ -${aLen === 0 ? aLine - 1 : aLine},${aLen} +${bLen === 0 ? bLine - 1 : bLine},${bLen} @@`)
    for (const e of body) out.push(`${e.op}${e.line}`)
    i = j + 1
  }
  return out.join('\n') + '\n'
}
