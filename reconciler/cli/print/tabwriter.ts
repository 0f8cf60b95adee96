/**
 * Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, pad with spaces,
 * left-aligned): tab-terminated cells line up in columns; the text after a line's last tab
 * is not part of any column.
 */

/** kubectl's tabwriter settings (k8s.io/cli-runtime/pkg/printers/tabwriter.go). */
export const TABWRITER = { minWidth: 6, padding: 3 } as const

/** Width of a cell as tabwriter counts it: runes. */
const width = (s: string): number => [...s].length

/** Aligns tab-separated lines the way tabwriter.Writer does on Flush. */
export function tabwrite(text: string, { minWidth = TABWRITER.minWidth as number, padding = TABWRITER.padding as number } = {}): string {
  const endsWithNewline = text.endsWith('\n')
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'))
  const out: string[] = lines.map(() => '')
  const widths: number[] = []

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]
      let s = ''
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]
        if (j < widths.length && j < cells.length - 1) s += c + ' '.repeat(Math.max(0, widths[j] - width(c)))
        else s += c
      }
      out[i] = s
    }
  }

  // format: the recursive column-block algorithm of text/tabwriter.
  const format = (line0: number, line1: number): void => {
    const column = widths.length
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue
      writeLines(line0, t)
      line0 = t
      let w = minWidth
      for (; t < line1; t++) {
        const cells = lines[t]
        if (column >= cells.length - 1) break
        w = Math.max(w, width(cells[column]) + padding)
      }
      widths.push(w)
      format(line0, t)
      widths.pop()
      line0 = t
      t-- // the for loop's t++ must not skip the line that ended the block
    }
    writeLines(line0, line1)
  }

  format(0, lines.length)
  return out.join('\n') + (endsWithNewline ? '\n' : '')
}
