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
