/** IP and CIDR checks worded as k8s.io/apimachinery/pkg/util/validation words them. */
import { isIP } from 'node:net'
import type { StatusCause } from '../../errors.js'
import { invalid } from './field.js'

/** Parses an IP the way Go's lenient parser does, allowing IPv4 octets with leading zeros. */
export function ipVersion(value: string): 0 | 4 | 6 {
  const v = isIP(value)
  if (v) return v as 4 | 6
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(value) && value.split('.').every((o) => Number(o) <= 255)) return 4
  return 0
}

/** `IsValidIP`. */
export function validateIP(value: string, path: string): StatusCause[] {
  return ipVersion(value) ? [] : [invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]
}

/** `IsValidCIDR`; returns the IP family too (0 when invalid). */
export function parseCIDR(value: string): 0 | 4 | 6 {
  const slash = value.indexOf('/')
  if (slash < 0) return 0
  const family = ipVersion(value.slice(0, slash))
  const bits = value.slice(slash + 1)
  if (!family || !/^[0-9]+$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return 0
  return family
}

/** `IsValidCIDR`. */
export function validateCIDR(value: string, path: string): StatusCause[] {
  return parseCIDR(value) ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')]
}

function octets(value: string): number[] {
  return value.split('.').map(Number)
}

/** `ValidateNonSpecialIP`: not unspecified, loopback, link-local or link-local multicast. */
export function validateNonSpecialIP(value: string, path: string): StatusCause[] {
  const family = ipVersion(value)
  if (!family) return [invalid(path, value, 'must be a valid IP address')]
  const errs: StatusCause[] = []
  const v6 = value.toLowerCase()
  const o = family === 4 ? octets(value) : []
  const unspecified = family === 4 ? o.every((x) => x === 0) : /^[0:]+$/.test(v6)
  const loopback = family === 4 ? o[0] === 127 : /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(v6)
  const linkLocal = family === 4 ? o[0] === 169 && o[1] === 254 : /^fe[89ab]/.test(v6)
  const linkLocalMulticast = family === 4 ? o[0] === 224 && o[1] === 0 && o[2] === 0 : /^ff02:/.test(v6)
  if (unspecified) errs.push(invalid(path, value, `may not be unspecified (${value})`))
  if (loopback) errs.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
  if (linkLocal) errs.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
  if (linkLocalMulticast) errs.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  return errs
}
