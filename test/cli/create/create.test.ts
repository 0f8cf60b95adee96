import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  buildConfigMap,
  buildGenericSecret,
  buildTlsSecret,
  type CreateErrorCode,
  isCreateError,
  nameFromArgs,
} from '../../../reconciler/cli/create/index.js'
import { kubectlCreate, kubectlJsonText, kubectlPath } from './kubectl-oracle.js'

type Command = 'configmap' | 'secret generic' | 'secret tls'

interface Case {
  name: string
  command: Command
  /** kubectl's arguments after `create <command>`; `@/` stands for the fixture directory. */
  args: string[]
  /** The CreateError code expected, or undefined for success. */
  code?: CreateErrorCode
  /** What kubectl's JSON must contain (checked even without kubectl). */
  expect?: Record<string, unknown>
  /** Needs openssl-made certificates. */
  tls?: boolean
}

let dir = ''
let haveCerts = false
const ENV = { FROM_ENV: 'value from the environment' }

/** A test-only reading of kubectl's flags into the builders' options. */
function optionsFrom(args: string[]) {
  const positional: string[] = []
  const o = { fromLiteral: [] as string[], fromFile: [] as string[], fromEnvFile: [] as string[], namespace: undefined as string | undefined, type: undefined as string | undefined, cert: undefined as string | undefined, key: undefined as string | undefined, appendHash: false, saveConfig: false }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const [flag, ...rest] = a.split('=')
    const value = rest.join('=')
    if (flag === '--from-literal') o.fromLiteral.push(value)
    else if (flag === '--from-file') o.fromFile.push(value)
    else if (flag === '--from-env-file') o.fromEnvFile.push(value)
    else if (flag === '--type') o.type = value
    else if (flag === '--cert') o.cert = value
    else if (flag === '--key') o.key = value
    else if (a === '--append-hash') o.appendHash = true
    else if (a === '--save-config') o.saveConfig = true
    else if (a === '-n') o.namespace = args[++i]
    else positional.push(a)
  }
  return { positional, ...o }
}

function build(command: Command, args: string[]): Record<string, unknown> {
  const { positional, ...o } = optionsFrom(args)
  const name = nameFromArgs(positional)
  if (command === 'configmap') return buildConfigMap({ name, ...o, env: ENV })
  if (command === 'secret generic') return buildGenericSecret({ name, ...o, env: ENV })
  return buildTlsSecret({ name, ...o })
}

const cases: Case[] = [
  { name: 'no data at all', command: 'configmap', args: ['empty'], expect: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'empty', creationTimestamp: null } } },
  { name: 'literals, sorted keys, = in values, empty value', command: 'configmap', args: ['lit', '--from-literal=z=last', '--from-literal=a=x=y', '--from-literal=empty='], expect: { data: { a: 'x=y', empty: '', z: 'last' } } },
  { name: 'the seed post: literal + file', command: 'configmap', args: ['my-config', '--from-literal=literal-key=literal-value', '--from-file=@/files/ui.properties'] },
  { name: 'file with a key', command: 'configmap', args: ['k', '--from-file=game=@/files/game.properties'] },
  { name: 'directory: regular files only, binary to binaryData', command: 'configmap', args: ['dir', '--from-file=@/dir'], expect: { binaryData: { 'blob.bin': '//4AAWJpbg==' } } },
  { name: 'namespace given with -n', command: 'configmap', args: ['ns', '-n', 'team-a', '--from-literal=a=1'], expect: { metadata: { name: 'ns', namespace: 'team-a', creationTimestamp: null } } },
  { name: 'HTML characters and unicode in values', command: 'configmap', args: ['html', '--from-literal=a=<b>&c</b>', '--from-literal=u=é ☃ \u2028'] },
  { name: 'a file with a byte order mark stays text', command: 'configmap', args: ['bom', '--from-file=@/files/bom.txt'] },
  { name: 'env file: comments, spaces, quotes, values from the environment', command: 'configmap', args: ['env', '--from-env-file=@/env/good.env'], expect: { data: { A: '1', B: 'has spaces ', C: '"quoted"', D: 'a=b', FROM_ENV: 'value from the environment', UNSET_VAR: '', 'dotted.name-x': 'ok' } } },
  { name: 'two env files', command: 'configmap', args: ['env2', '--from-env-file=@/env/good.env', '--from-env-file=@/env/more.env'] },
  { name: 'append-hash', command: 'configmap', args: ['hashed', '--from-literal=k=é', '--append-hash'] },
  { name: 'append-hash with binary data', command: 'configmap', args: ['hashed-bin', '--from-file=@/dir', '--append-hash'] },
  { name: 'save-config', command: 'configmap', args: ['saved', '--from-literal=a=<1>', '--save-config'] },
  { name: 'invalid key from a literal', command: 'configmap', args: ['x', '--from-literal=bad/key=1'], code: 'InvalidKey' },
  { name: 'invalid key: two problems joined', command: 'configmap', args: ['x', '--from-literal=..a/b=1'], code: 'InvalidKey' },
  { name: 'key . is invalid', command: 'configmap', args: ['x', '--from-literal=.=1'], code: 'InvalidKey' },
  { name: 'key too long', command: 'configmap', args: ['x', `--from-literal=${'k'.repeat(254)}=1`], code: 'InvalidKey' },
  { name: 'invalid key from a directory file name', command: 'configmap', args: ['x', '--from-file=@/baddir'], code: 'InvalidKey' },
  { name: 'duplicate literal keys', command: 'configmap', args: ['x', '--from-literal=a=1', '--from-literal=a=2'], code: 'DuplicateKey' },
  { name: 'file key then the same literal key (files first)', command: 'configmap', args: ['x', '--from-literal=ui.properties=1', '--from-file=@/files/ui.properties'], code: 'DuplicateKey' },
  { name: 'duplicate in binaryData', command: 'configmap', args: ['x', '--from-file=@/dir', '--from-file=blob.bin=@/files/ui.properties'], code: 'DuplicateKey' },
  { name: 'literal without =', command: 'configmap', args: ['x', '--from-literal=novalue'], code: 'InvalidLiteralSource' },
  { name: 'literal with empty key', command: 'configmap', args: ['x', '--from-literal==v'], code: 'InvalidLiteralSource' },
  { name: 'file source with empty key', command: 'configmap', args: ['x', '--from-file==@/files/ui.properties'], code: 'InvalidFileSource' },
  { name: 'file source with empty path', command: 'configmap', args: ['x', '--from-file=k='], code: 'InvalidFileSource' },
  { name: 'file source with two =', command: 'configmap', args: ['x', '--from-file=a=b=c'], code: 'InvalidFileSource' },
  { name: 'key name for a directory', command: 'configmap', args: ['x', '--from-file=k=@/dir'], code: 'KeyForDirectory' },
  { name: 'missing file', command: 'configmap', args: ['x', '--from-file=@/nope.txt'], code: 'ReadFailed' },
  { name: 'env file combined with a literal', command: 'configmap', args: ['x', '--from-literal=a=1', '--from-env-file=@/env/good.env'], code: 'EnvFileCombined' },
  { name: 'env file that is a directory', command: 'configmap', args: ['x', '--from-env-file=@/env'], code: 'EnvFileIsDirectory' },
  { name: 'env file: export is not a keyword', command: 'configmap', args: ['x', '--from-env-file=@/env/export.env'], code: 'InvalidEnvFile' },
  { name: 'env file: space before =', command: 'configmap', args: ['x', '--from-env-file=@/env/space.env'], code: 'InvalidEnvFile' },
  { name: 'env file: BOM on a later line is part of the key', command: 'configmap', args: ['x', '--from-env-file=@/env/bom2.env'], code: 'InvalidEnvFile' },
  { name: 'env file: invalid UTF-8', command: 'configmap', args: ['x', '--from-env-file=@/env/latin1.env'], code: 'InvalidEnvFile' },
  { name: 'env file: duplicate keys', command: 'configmap', args: ['x', '--from-env-file=@/env/dup.env'], code: 'DuplicateKey' },
  { name: 'no NAME', command: 'configmap', args: [], code: 'NameRequired' },
  { name: 'two NAMEs', command: 'configmap', args: ['a', 'b'], code: 'NameRequired' },

  { name: 'secret: literals and files, base64', command: 'secret generic', args: ['s', '--from-literal=user=admin', '--from-literal=pass=é', '--from-file=@/files/ui.properties'] },
  { name: 'secret: directory with binary', command: 'secret generic', args: ['s', '--from-file=@/dir', '-n', 'prod'] },
  { name: 'secret: --type', command: 'secret generic', args: ['s', '--type=kubernetes.io/basic-auth', '--from-literal=username=u', '--from-literal=password=p'], expect: { type: 'kubernetes.io/basic-auth' } },
  { name: 'secret: empty', command: 'secret generic', args: ['s'] },
  { name: 'secret: env file', command: 'secret generic', args: ['s', '--from-env-file=@/env/good.env'] },
  { name: 'secret: append-hash', command: 'secret generic', args: ['s', '--from-literal=k=é', '--append-hash'] },
  { name: 'secret: append-hash with type', command: 'secret generic', args: ['s', '--type=Opaque', '--from-literal=k=v', '--append-hash', '--save-config'] },
  { name: 'secret: duplicate (literals first, then files)', command: 'secret generic', args: ['s', '--from-file=a=@/files/ui.properties', '--from-literal=a=1'], code: 'DuplicateKey' },
  { name: 'secret: invalid key', command: 'secret generic', args: ['s', '--from-literal=..a/b=1'], code: 'InvalidKey' },
  { name: 'secret: env file that is a directory', command: 'secret generic', args: ['s', '--from-env-file=@/env'], code: 'EnvFileIsDirectory' },
  { name: 'secret: env file combined with a file', command: 'secret generic', args: ['s', '--from-file=@/files/ui.properties', '--from-env-file=@/env/good.env'], code: 'EnvFileCombined' },

  { name: 'tls: RSA pair', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.crt', '--key=@/tls/rsa.key'], tls: true, expect: { type: 'kubernetes.io/tls' } },
  { name: 'tls: EC pair, namespace, hash', command: 'secret tls', args: ['tls', '--cert=@/tls/ec.crt', '--key=@/tls/ec.key', '-n', 'web', '--append-hash'], tls: true },
  { name: 'tls: Ed25519 pair', command: 'secret tls', args: ['tls', '--cert=@/tls/ed.crt', '--key=@/tls/ed.key'], tls: true },
  { name: 'tls: key of another certificate', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.crt', '--key=@/tls/other.key'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: key of another type', command: 'secret tls', args: ['tls', '--cert=@/tls/ec.crt', '--key=@/tls/rsa.key'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: files switched', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.key', '--key=@/tls/rsa.crt'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: certificate for both', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.crt', '--key=@/tls/rsa.crt'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: no PEM in the certificate', command: 'secret tls', args: ['tls', '--cert=@/files/ui.properties', '--key=@/tls/rsa.key'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: no PEM in the key', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.crt', '--key=@/files/ui.properties'], tls: true, code: 'InvalidKeyPair' },
  { name: 'tls: missing certificate file', command: 'secret tls', args: ['tls', '--cert=@/tls/nope.crt', '--key=@/tls/rsa.key'], code: 'ReadFailed' },
  { name: 'tls: no --key', command: 'secret tls', args: ['tls', '--cert=@/tls/rsa.crt'], code: 'CertAndKeyRequired' },
]

function subset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected
  if (actual === null || typeof actual !== 'object') return false
  return Object.entries(expected).every(([k, v]) => subset((actual as Record<string, unknown>)[k], v))
}

const create = suite('create configmap|secret builders (kubectl is the oracle)')

create.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'capstan-create-'))
  const put = (path: string, content: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  put('files/ui.properties', 'color.good=purple\ncolor.bad=yellow\n')
  put('files/game.properties', 'enemies=aliens\nlives=3\n')
  put('files/bom.txt', '\ufeffwith a byte order mark\n')
  put('dir/a.txt', 'hello\n')
  put('dir/b', 'no newline')
  put('dir/blob.bin', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x62, 0x69, 0x6e]))
  put('dir/sub/ignored.txt', 'subdirectories are not read\n')
  symlinkSync(join(dir, 'dir/a.txt'), join(dir, 'dir/link.txt'))
  put('baddir/bad key', 'x')
  put('env/good.env', '# a comment\n\n  A=1\n\tB=has spaces \r\nC="quoted"\nD=a=b\nFROM_ENV\nUNSET_VAR\ndotted.name-x=ok\n   # indented comment\n')
  put('env/more.env', '\ufeffE=bom on the first line is dropped\nF=\n')
  put('env/export.env', 'export A=1\n')
  put('env/space.env', 'A =1\n')
  put('env/bom2.env', 'A=1\n\ufeffB=2\n')
  put('env/latin1.env', Buffer.from('A=caf\xe9\n', 'latin1'))
  put('env/dup.env', 'A=1\nA=2\n')
  const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: join(dir, 'tls'), stdio: 'ignore' }).status === 0
  mkdirSync(join(dir, 'tls'))
  haveCerts =
    openssl(['req', '-x509', '-nodes', '-days', '1', '-newkey', 'rsa:2048', '-keyout', 'rsa.key', '-out', 'rsa.crt', '-subj', '/CN=echoheaders/O=echoheaders']) &&
    openssl(['req', '-x509', '-nodes', '-days', '1', '-newkey', 'rsa:2048', '-keyout', 'other.key', '-out', 'other.crt', '-subj', '/CN=other']) &&
    openssl(['req', '-x509', '-nodes', '-days', '1', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', 'ec.key', '-out', 'ec.crt', '-subj', '/CN=ec']) &&
    openssl(['req', '-x509', '-nodes', '-days', '1', '-newkey', 'ed25519', '-keyout', 'ed.key', '-out', 'ed.crt', '-subj', '/CN=ed'])
})

create.after(() => rmSync(dir, { recursive: true, force: true }))

for (const c of cases) {
  create(`${c.command}: ${c.name}`, () => {
    if (c.tls && !haveCerts) return // openssl is needed to make the certificates
    const args = c.args.map((a) => a.replaceAll('@/', dir + '/'))
    let object: Record<string, unknown> | undefined
    let error: unknown
    try {
      object = build(c.command, args)
    } catch (err) {
      error = err
    }
    if (c.code) {
      assert.ok(isCreateError(error, c.code), `expected CreateError ${c.code}, got ${String(error)}`)
    } else {
      assert.is(error, undefined, `unexpected error: ${String(error)}`)
      if (c.expect) assert.ok(subset(object, c.expect), `object contains ${JSON.stringify(c.expect)}: ${JSON.stringify(object)}`)
    }
    if (!kubectlPath) return
    const real = kubectlCreate([...c.command.split(' '), ...args], ENV)
    if (c.code) {
      assert.is.not(real.status, 0, 'kubectl fails too')
      assert.is(isCreateError(error) && error.kubectlText, real.stderr.split('\n')[0])
    } else {
      assert.is(real.status, 0, real.stderr)
      assert.is(kubectlJsonText(object), real.stdout)
    }
  })
}

create.run()
