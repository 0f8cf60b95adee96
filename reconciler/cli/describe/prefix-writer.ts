/** kubectl's PrefixWriter: text at indentation levels of two spaces, aligned by the tabwriter at the end. */
import { tabwrite } from './tab-writer.js'

/** Indentation levels, two spaces each (describe.go's LEVEL_0..LEVEL_4). */
export const LEVEL_0 = 0
export const LEVEL_1 = 1
export const LEVEL_2 = 2
export const LEVEL_3 = 3
export const LEVEL_4 = 4

/**
 * printers.WriteEscaped: terminal escape and carriage return are made visible so an object's
 * text cannot drive the terminal.
 */
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r')
}

/** Collects describe output; `toString()` aligns it as tabbedString does. */
export class PrefixWriter {
  private parts: string[] = []

  /** Write text (already formatted) after `level` × two spaces. */
  write(level: number, text: string): void {
    this.parts.push(escapeTerminal('  '.repeat(level) + text))
  }

  /** fmt.Sprintln of the values: joined by spaces, ending in a newline, no indentation. */
  writeLine(...values: string[]): void {
    this.parts.push(escapeTerminal(values.join(' ') + '\n'))
  }

  /** The aligned text. */
  toString(): string {
    return tabwrite(this.parts.join(''))
  }
}

/** Run a describer body against a fresh writer and return the aligned text (describe.go's tabbedString). */
export function tabbedString(body: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter()
  body(w)
  return w.toString()
}
