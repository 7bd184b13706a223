// Preloaded into the Agents Playground process by test/browser/playground.test.ts
// (node -r): every attempt to reach an address outside this machine (a DNS
// lookup of a non-local name, a TCP connection, a UDP datagram) is written, one
// JSON line each, to the file named by GT_OUTGOING_LOG, and then refused, so
// nothing leaves the machine even while the test is failing.
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const file = process.env.GT_OUTGOING_LOG;
if (!file) throw new Error('record-outgoing.cjs needs GT_OUTGOING_LOG');

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

function isLocal(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  if (LOCAL_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.') || h === '0.0.0.0';
  if (net.isIPv6(h)) return h === '::1' || h === '::' || /^::ffff:127\./.test(h) || /^(0:){7}1$/.test(h);
  return false;
}

function record(kind, host, port) {
  const line = JSON.stringify({ kind, host: String(host), port: port === undefined ? undefined : Number(port), at: new Date().toISOString(), stack: new Error().stack.split('\n').slice(2, 8).map((s) => s.trim()) });
  try {
    fs.appendFileSync(file, `${line}\n`);
  } catch {
    /* the test notices a missing file as well */
  }
}

const refused = (host) => Object.assign(new Error(`connection to ${host} refused by record-outgoing.cjs (tests stay on this machine)`), { code: 'ECONNREFUSED' });

// TCP: http, https, tls and raw sockets all end up here.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  let host;
  let port;
  if (options && typeof options === 'object') {
    if (options.path) return connect.apply(this, args); // a local socket file
    host = options.host;
    port = options.port;
  } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
    port = options;
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (typeof options === 'string') {
    return connect.apply(this, args); // a local socket path
  }
  if (!isLocal(host)) {
    record('tcp', host, port);
    process.nextTick(() => this.destroy(refused(host)));
    return this;
  }
  return connect.apply(this, args);
};

// Name lookups, both APIs.
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!isLocal(hostname)) {
    record('dns', hostname);
    const callback = rest[rest.length - 1];
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    if (typeof callback === 'function') process.nextTick(() => callback(err));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = async function (hostname, ...rest) {
  if (!isLocal(hostname)) {
    record('dns', hostname);
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  }
  return lookupPromise.call(this, hostname, ...rest);
};
for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
  const original = dns[name];
  if (typeof original !== 'function') continue;
  dns[name] = function (hostname, ...rest) {
    if (!isLocal(hostname)) record('dns', hostname);
    return original.call(this, hostname, ...rest);
  };
}

// UDP.
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const cb = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
  const strings = args.filter((a) => typeof a === 'string');
  const host = strings[strings.length - 1];
  if (host !== undefined && !isLocal(host)) {
    record('udp', host, args.find((a, i) => i > 0 && typeof a === 'number' && a > 0 && a < 65536));
    if (cb) process.nextTick(() => cb(refused(host)));
    return;
  }
  return send.apply(this, args);
};

fs.appendFileSync(file, '');
