import { isIP } from 'node:net';
import { ShoalError } from '../../common/index.js';
import type { Authenticator } from './authenticator.js';

/**
 * Whether `host` only accepts connections from this machine: 127.0.0.0/8, ::1 (also as an IPv4-mapped
 * ::ffff:127.x.y.z or in brackets) and the name `localhost`. The wildcard addresses (0.0.0.0, ::, empty) are not.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h.startsWith('::ffff:') && isIP(h.slice(7)) === 4) h = h.slice(7);
  switch (isIP(h)) {
    case 4: return h.split('.')[0] === '127';
    case 6: return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
    default: return false;
  }
}

/**
 * DESIGN/issue 5 rule: without authentication the server listens only on loopback. Returns the error to report
 * (and not start) when `host` is reachable from other machines, no authenticator is configured and the operator
 * did not explicitly allow it; undefined when it is safe to bind.
 */
export function bindSafety(host: string, authenticator: Authenticator | undefined, allowInsecure: boolean): ShoalError | undefined {
  if (authenticator !== undefined || allowInsecure || isLoopbackHost(host)) return undefined;
  return new ShoalError('INVALID_COMMAND_LINE', `Refusing to listen on ${host === '' ? 'all interfaces' : host} without authentication: anyone who can reach it could run queries and read every file Shoal can read`, {
    hint: 'Give --password-file and/or --tokens-file (with --tls-cert/--tls-key), listen on 127.0.0.1, or pass --allow-insecure if the network is trusted',
  });
}
