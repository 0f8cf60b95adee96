/**
 * The string validators of k8s.io/apimachinery/pkg/util/validation (Kubernetes 1.32). Each returns the
 * list of problems, worded as Kubernetes words them; an empty list means valid.
 */
import { byteLength } from './go-format.js'

/** `must be no more than N characters` (Go counts bytes). */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`
}

/** A regex failure with examples, in apimachinery's exact punctuation (`'a',  or 'b', regex …`). */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  let out = msg + ' (e.g. '
  examples.forEach((e, i) => {
    if (i > 0) out += ' or '
    out += `'${e}', `
  })
  return out + `regex used for validation is '${fmt}')`
}

/** `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty'
}

/** `must be between lo and hi, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`
}

const anchored = (fmt: string): RegExp => new RegExp(`^(?:${fmt})$`)

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
export const DNS1123_LABEL_MAX_LENGTH = 63
const dns1123LabelRegexp = anchored(dns1123LabelFmt)

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
const dns1123SubdomainRegexp = anchored(dns1123SubdomainFmt)

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
export const DNS1035_LABEL_MAX_LENGTH = 63
const dns1035LabelRegexp = anchored(dns1035LabelFmt)

/** RFC 1123 label (Namespace names): at most 63, `[a-z0-9]([-a-z0-9]*[a-z0-9])?`. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH))
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label can only be so because of its dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'))
  }
  return errs
}

/** RFC 1123 subdomain (most object names): at most 253, dot-separated labels. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'))
  return errs
}

/** RFC 1035 label (Service names): at most 63, starts with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH))
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'))
  return errs
}

const qnameCharFmt = '[A-Za-z0-9]'
const qnameExtCharFmt = '[-A-Za-z0-9_.]'
const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const QUALIFIED_NAME_MAX_LENGTH = 63
const qualifiedNameRegexp = anchored(qualifiedNameFmt)

/**
 * A bounded set of strings a validator found valid: label keys and values, annotation keys and
 * finalizers repeat across the objects of a cluster (and every list by label selector checks its
 * keys again), while the answer for a string never changes. Only valid strings are kept, so a
 * problem is always worked out (and worded) afresh.
 */
function validCache(): { has(v: string): boolean; add(v: string): void } {
  const seen = new Set<string>()
  return {
    has: (v) => seen.has(v),
    add: (v) => {
      if (seen.size >= 8192) seen.clear()
      seen.add(v)
    },
  }
}

const validQualifiedNames = validCache()

/** Label keys, annotation keys, finalizers: `[prefix/]name`, prefix a DNS subdomain, name at most 63. */
export function isQualifiedName(value: string): string[] {
  if (validQualifiedNames.has(value)) return []
  const errs = qualifiedNameErrors(value)
  if (errs.length === 0) validQualifiedNames.add(value)
  return errs
}

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) {
    name = parts[0]
  } else if (parts.length === 2) {
    const prefix = parts[0]
    name = parts[1]
    if (prefix.length === 0) errs.push('prefix part ' + emptyError())
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => 'prefix part ' + m))
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) errs.push('name part ' + emptyError())
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push('name part ' + maxLenError(QUALIFIED_NAME_MAX_LENGTH))
  if (!qualifiedNameRegexp.test(name)) {
    errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'))
  }
  return errs
}

const labelValueFmt = `(${qualifiedNameFmt})?`
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
export const LABEL_VALUE_MAX_LENGTH = 63
const labelValueRegexp = anchored(labelValueFmt)

/** Label values: empty, or at most 63 of `[-A-Za-z0-9_.]` starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  if (validLabelValues.has(value)) return []
  const errs: string[] = []
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH))
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'))
  if (errs.length === 0) validLabelValues.add(value)
  return errs
}

const validLabelValues = validCache()

const configMapKeyFmt = '[-._a-zA-Z0-9]+'
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
const configMapKeyRegexp = anchored(configMapKeyFmt)

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"]
  if (value === '..') return ["must not be '..'"]
  if (value.startsWith('..')) return ["must not start with '..'"]
  return []
}

/** ConfigMap and Secret keys: `[-._a-zA-Z0-9]+`, at most 253, not `.`, `..` or `..`-prefixed. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!configMapKeyRegexp.test(value)) errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'))
  errs.push(...hasChDirPrefix(value))
  return errs
}

/** Named ports (IANA service names): at most 15 of `[-a-z0-9]`, a letter, no `--`, no edge hyphen. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (byteLength(port) > 15) errs.push(maxLenError(15))
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen')
  return errs
}

/** Port numbers: 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

/** Which rule an object name follows (apimachinery's NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label). */
export type NameRule = 'subdomain' | 'label' | 'dns1035'

/**
 * With `prefix` (a generateName), a trailing `-` is allowed: apimachinery masks it before checking,
 * replacing the last two characters by `a`, as its maskTrailingDash does.
 */
export function validateName(rule: NameRule, name: string, prefix: boolean): string[] {
  if (prefix && name.length > 1 && name.endsWith('-')) name = name.slice(0, -2) + 'a'
  switch (rule) {
    case 'subdomain':
      return isDNS1123Subdomain(name)
    case 'label':
      return isDNS1123Label(name)
    case 'dns1035':
      return isDNS1035Label(name)
  }
}
