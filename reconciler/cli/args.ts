/** Command-line parsing with kubectl's conventions: `--flag=value`, `--flag value`, `-n ns`, `-oyaml`, repeatable flags. */

export interface FlagSpec {
  /** Long name without dashes (`namespace`). */
  name: string
  /** One-letter short name (`n`). */
  short?: string
  /** A boolean flag takes no value (`--watch`), but accepts `--watch=false`. */
  boolean?: boolean
  /** The value a string flag takes when given without one (`--dry-run` means `client`). */
  noValueDefault?: string
}

export interface ParsedArgs {
  positionals: string[]
  /** Every value given for a flag, in order (booleans as 'true'/'false'). */
  flags: Map<string, string[]>
}

/** A command-line usage error (exit code 2, as every capstan error). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Parses `argv` against the known flags; unknown flags are a UsageError as in kubectl. */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]))
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]))
  const flags = new Map<string, string[]>()
  const positionals: string[] = []
  const add = (s: FlagSpec, v: string): void => {
    const list = flags.get(s.name) ?? []
    list.push(v)
    flags.set(s.name, list)
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq < 0 ? undefined : eq)
      const spec = byLong.get(name)
      if (!spec) throw new UsageError(`unknown flag: --${name}`)
      if (eq >= 0) add(spec, a.slice(eq + 1))
      else if (spec.boolean) add(spec, 'true')
      else if (spec.noValueDefault !== undefined) add(spec, spec.noValueDefault)
      else if (i + 1 < argv.length) add(spec, argv[++i])
      else throw new UsageError(`flag needs an argument: --${name}`)
    } else if (a.startsWith('-') && a.length > 1 && a !== '-') {
      // `-n ns`, `-nns`, `-n=ns`, `-oyaml`, and grouped booleans `-Aw`.
      let j = 1
      while (j < a.length) {
        const spec = byShort.get(a[j])
        if (!spec) throw new UsageError(`unknown shorthand flag: '${a[j]}' in ${a}`)
        if (spec.boolean) {
          add(spec, 'true')
          j++
          continue
        }
        let rest = a.slice(j + 1)
        if (rest.startsWith('=')) rest = rest.slice(1)
        if (rest) add(spec, rest)
        else if (i + 1 < argv.length) add(spec, argv[++i])
        else throw new UsageError(`flag needs an argument: '${a[j]}' in -${a[j]}`)
        break
      }
    } else positionals.push(a)
  }
  return { positionals, flags }
}

/** The last value of a flag, or undefined. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name)
  return v?.[v.length - 1]
}

/** Every value of a repeatable flag (comma lists are not split). */
export function flagAll(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? []
}

/** A boolean flag's value. */
export function flagBool(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name)
  if (v === undefined) return false
  if (v === 'true' || v === '') return true
  if (v === 'false') return false
  throw new UsageError(`invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`)
}

/** A revision flag (`--revision`, `--to-revision`): 0 when absent; kubectl's errors for text and negatives. */
export function flagRevision(args: ParsedArgs, name: string): number {
  const v = flag(args, name)
  if (v === undefined) return 0
  if (!/^[+-]?\d+$/.test(v.trim())) throw new UsageError(`invalid argument "${v}" for "--${name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`)
  const n = Number(v)
  if (n < 0) throw new UsageError(`revision must be a positive integer: ${v}`)
  return n
}
