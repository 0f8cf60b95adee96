/** A preview printed three ways: unified YAML for a terminal (colored on a TTY), GitHub Markdown for a PR comment, JSON for bots. */
import { displayName } from '../identity.js'
import type { Preview, PreviewChange } from './types.js'

const MARK: Record<PreviewChange['action'], string> = { create: '+', update: '~', prune: '-' }

/** `3 to create, 1 to update, 0 to delete`, or `No changes.` */
export function previewCounts(p: Preview): string {
  if (!p.changes.length) return 'No changes.'
  const n = (a: PreviewChange['action']) => p.changes.filter((c) => c.action === a).length
  return `${n('create')} to create, ${n('update')} to update, ${n('prune')} to delete`
}

function label(c: PreviewChange): string {
  return `${displayName(c.id)}${c.id.namespace ? ` -n ${c.id.namespace}` : ''}`
}

/** Colors a unified diff as git does: headers bold, hunks cyan, removals red, additions green. */
export function colorDiff(diff: string): string {
  return diff.replace(/^.*$/gm, (line) => {
    if (!line) return line
    if (line.startsWith('---') || line.startsWith('+++')) return `\x1b[1m${line}\x1b[0m`
    if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[0m`
    if (line.startsWith('-')) return `\x1b[31m${line}\x1b[0m`
    if (line.startsWith('+')) return `\x1b[32m${line}\x1b[0m`
    return line
  })
}

/** Text: per object a summary line, its warnings and its diff; notes; the counts. */
export function previewText(p: Preview, { color = false }: { color?: boolean } = {}): string {
  let out = ''
  for (const c of p.changes) {
    out += `${MARK[c.action]} ${label(c)}: ${c.summary}\n`
    for (const w of c.warnings) out += `  ${color ? '\x1b[33mwarning\x1b[0m' : 'warning'}: ${w}\n`
    if (c.diff) out += color ? colorDiff(c.diff) : c.diff
  }
  for (const n of p.notes) out += `note: ${n}\n`
  for (const w of p.warnings) out += `warning: ${w}\n`
  return out + previewCounts(p) + '\n'
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** GitHub-flavoured Markdown: a heading, a summary table, then a collapsible `<details>` per object with a diff block. */
export function previewMarkdown(p: Preview): string {
  const head = p.head.slice(0, 7)
  const title = p.against === 'live' ? `capstan diff: \`${head}\` against the live state` : `capstan diff: \`${p.base?.slice(0, 7) ?? '?'}\` → \`${head}\``
  let out = `### ${title}\n\n`
  if (!p.changes.length) return out + 'No changes.\n'
  out += `${previewCounts(p)}\n\n| | Object | Namespace | What will happen |\n|---|---|---|---|\n`
  for (const c of p.changes) {
    const warn = c.warnings.length ? ` ⚠️ ${c.warnings.map(cell).join('; ')}` : ''
    out += `| ${MARK[c.action]} | \`${displayName(c.id)}\` | ${c.id.namespace || ''} | ${cell(c.summary)}${warn} |\n`
  }
  for (const c of p.changes) {
    out += `\n<details><summary><code>${html(displayName(c.id))}</code>${c.id.namespace ? ` (${html(c.id.namespace)})` : ''}: ${html(c.summary)}</summary>\n\n`
    for (const w of c.warnings) out += `> ⚠️ ${w}\n\n`
    const longest = Math.max(2, ...[...c.diff.matchAll(/`+/g)].map((m) => m[0].length))
    const fence = '`'.repeat(longest + 1)
    out += `${fence}diff\n${c.diff}${c.diff.endsWith('\n') || !c.diff ? '' : '\n'}${fence}\n\n</details>\n`
  }
  if (p.notes.length || p.warnings.length) out += '\n' + [...p.notes.map((n) => `- ${n}`), ...p.warnings.map((w) => `- ⚠️ ${w}`)].join('\n') + '\n'
  return out
}

/** JSON for bots: `{base, head, against, changes: [{object, action, file, line, patch, summary, warnings}], notes, warnings}`. */
export function previewJson(p: Preview): string {
  return (
    JSON.stringify(
      {
        base: p.base,
        head: p.head,
        against: p.against,
        changes: p.changes.map((c) => ({ object: c.id, action: c.action, file: c.file, line: c.line, patch: c.patch, summary: c.summary, warnings: c.warnings })),
        notes: p.notes,
        warnings: p.warnings,
      },
      null,
      2,
    ) + '\n'
  )
}
