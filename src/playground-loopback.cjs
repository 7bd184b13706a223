// Preloaded into the Agents Playground process: it calls server.listen(port)
// with no host, which listens on every interface. Local testing needs
// loopback only, so a listen without a host gets 127.0.0.1.
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
