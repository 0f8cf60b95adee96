/** The key rules of Kubernetes' validation package that kubectl checks before sending anything. */

const configMapKey = /^[-._a-zA-Z0-9]+$/
const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/

/** The longest ConfigMap or Secret key: a DNS subdomain's length. */
export const MAX_KEY_LENGTH = 253

function regexError(what: string, format: string, examples: string[]): string {
  return `${what} (e.g. ${examples.map((e) => `'${e}'`).join(',  or ')}, regex used for validation is '${format}')`
}

function chDirPrefix(value: string): string[] {
  if (value === '.') return [`must not be '.'`]
  if (value === '..') return [`must not be '..'`]
  if (value.startsWith('..')) return [`must not start with '..'`]
  return []
}

/** Problems with a ConfigMap or Secret key (empty when it is valid), as `IsConfigMapKey` words them. */
export function configMapKeyErrors(value: string): string[] {
  const errs: string[] = []
  if (Buffer.byteLength(value) > MAX_KEY_LENGTH) errs.push(`must be no more than ${MAX_KEY_LENGTH} characters`)
  if (!configMapKey.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', ['key.name', 'KEY_NAME', 'key-name']))
  }
  return errs.concat(chDirPrefix(value))
}

/** Problems with an environment variable name (empty when it is valid), as `IsEnvVarName` words them. */
export function envVarNameErrors(value: string): string[] {
  const errs: string[] = []
  if (!envVarName.test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        '[-._a-zA-Z][-._a-zA-Z0-9]*',
        ['my.env-name', 'MY_ENV.NAME', 'MyEnvName1'],
      ),
    )
  }
  return errs.concat(chDirPrefix(value))
}
