// Preloaded (node --import) into the child and each of its worker threads: any network
// use other than loopback is reported on stderr and refused.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const refuse = (what) => {
  process.stderr.write(`NETWORK ATTEMPT: ${what}\n`);
  throw new Error(`network is unreachable in this test (${what})`);
};
const loopback = (host) => !host || host === 'localhost' || host === '::1' || /^127\./.test(host);
const hostOf = (args) => {
  const first = args[0];
  if (typeof first === 'object' && first !== null) return first.host ?? first.hostname;
  if (typeof first === 'string' && args.length > 1 && typeof args[1] === 'string') return args[1];
  if (typeof first === 'string' || first instanceof URL) {
    try {
      return new URL(String(first)).hostname;
    } catch {
      return undefined;
    }
  }
  return undefined;
};

globalThis.fetch = (input) => refuse(`fetch ${String(input?.url ?? input)}`);
for (const module of [http, https]) {
  for (const name of ['request', 'get']) {
    const original = module[name];
    module[name] = (...args) => {
      const host = hostOf(args);
      return loopback(host) ? original(...args) : refuse(`${name} ${host}`);
    };
  }
}
for (const [module, name] of [
  [net, 'connect'],
  [net, 'createConnection'],
  [tls, 'connect'],
]) {
  const original = module[name];
  module[name] = (...args) => {
    const host = typeof args[0] === 'number' ? args[1] : hostOf(args);
    return loopback(host) ? original(...args) : refuse(`${name} ${host}`);
  };
}
dns.lookup = (host, ...rest) =>
  loopback(host) ? rest.at(-1)(null, '127.0.0.1', 4) : refuse(`dns ${host}`);
