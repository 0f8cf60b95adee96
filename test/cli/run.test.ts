/** Global flags before the command, as kubectl accepts them (`capstan --server URL get pods`). */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { leadingGlobalsLast } from '../../reconciler/cli/run.js'

const test = suite('leadingGlobalsLast')
const cases: Array<{ name: string; argv: string[]; want: string[] }> = [
  { name: 'nothing to move', argv: ['get', 'pods', '-n', 'x'], want: ['get', 'pods', '-n', 'x'] },
  { name: '--server URL before the command', argv: ['--server', 'http://h:1', 'get', 'pods'], want: ['get', 'pods', '--server', 'http://h:1'] },
  { name: '--state=PATH and -n NS', argv: ['--state=/s.db', '-n', 'kube-system', 'get', 'cm'], want: ['get', 'cm', '--state=/s.db', '-n', 'kube-system'] },
  { name: 'help stays a command', argv: ['--help'], want: ['--help'] },
  { name: 'an unknown leading flag is left for the error', argv: ['--bogus', 'get'], want: ['--bogus', 'get'] },
]
for (const c of cases) test(c.name, () => assert.equal(leadingGlobalsLast(c.argv), c.want))
test.run()

const help = suite('capstan COMMAND --help: the usage, nothing run')
help('serve, apply, rollout undo and kubeconfig with --help or -h print their usage and exit 0, opening no state', async () => {
  const { runCli } = await import('../../reconciler/cli/run.js')
  const { existsSync, mkdtempSync, rmSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'capstan-help-'))
  try {
    const state = join(dir, 'state.db')
    const cases: Array<[string[], RegExp]> = [
      [['serve', '--help', '--listen', '127.0.0.1:0'], /^ {2}serve \[--listen/m],
      [['apply', '-f', 'x.yaml', '-h'], /^ {2}apply /m],
      [['rollout', 'undo', 'deployment/web', '--help'], /^ {2}rollout status\|history\|undo/m],
      [['kubeconfig', '--help'], /^ {2}kubeconfig /m],
    ]
    for (const [argv, usage] of cases) {
      let out = ''
      const code = await runCli(['--state', state, ...argv], { stdout: (s) => (out += s), stderr: (s) => (out += s), env: {}, stdin: async () => '', isTTY: false })
      assert.is(code, 0, argv.join(' '))
      assert.match(out, /^Usage:\n/)
      assert.match(out, usage)
      assert.match(out, /Global flags:/)
    }
    assert.not.ok(existsSync(state), 'no state opened')
    // After `--` it is an argument, not a request for help.
    assert.equal(leadingGlobalsLast(['get', '--', '-h']), ['get', '--', '-h'])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
help.run()
