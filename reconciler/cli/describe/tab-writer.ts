/**
 * A port of Go's text/tabwriter as kubectl's describers configure it:
 * `tabwriter.NewWriter(buf, 0, 8, 2, ' ', 0)` (minwidth 0, tabwidth 8, padding 2, padchar ' ', no flags).
 *
 * Text is cells separated by tabs; a cell is tab-terminated, so the text after a line's last tab
 * is not part of any column and is never padded. A column block is a run of consecutive lines that
 * all have a terminated cell in that column; every cell of a block is padded to the block's widest
 * cell plus the padding. A line without tabs ends every block (tabwriter flushes there).
 */

type Cell = { text: string; width: number }

const MIN_WIDTH = 0
const PADDING = 2

/** Width as tabwriter counts it: runes (code points), not bytes or UTF-16 units. */
function runeWidth(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Lay out tab-separated text the way kubectl's describe output is aligned. */
export function tabwrite(text: string): string {
  const rawLines = text.split('\n')
  // The text after the final newline is an unterminated last line: written as is.
  const lines: Cell[][] = rawLines.map((l) => l.split('\t').map((t) => ({ text: t, width: runeWidth(t) })))
  const out: string[] = []
  const widths: number[] = []

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = lines[i]
      let s = ''
      for (let j = 0; j < line.length; j++) {
        const c = line[j]
        s += c.text
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - c.width))
      }
      out.push(s)
    }
  }

  // Go's Writer.format: recursive over columns, left to right.
  const format = (line0: number, line1: number): void => {
    const column = widths.length
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i].length - 1) continue
      // A cell exists in this column: print the lines before the block, then size the block.
      writeLines(line0, i)
      line0 = i
      let width = MIN_WIDTH
      for (; i < line1; i++) {
        const line = lines[i]
        if (column >= line.length - 1) break
        const w = line[column].width + PADDING
        if (w > width) width = w
      }
      widths.push(width)
      format(line0, i)
      widths.pop()
      line0 = i
      // The for-loop's i++ would skip line i; step back so it is examined.
      i--
    }
    writeLines(line0, line1)
  }

  format(0, lines.length)
  return out.join('\n')
}
