// Preloaded into the Agents Playground process by playground-port.test.ts: takes
// 127.0.0.1:GT_HOLD_PORT before the Playground looks for its port, as another
// program starting at the same moment would. Left to itself the Playground then
// moves to a random port; startPlayground must stop it and say so instead.
const net = require('node:net');
const port = Number(process.env.GT_HOLD_PORT);
if (!port) throw new Error('hold-port.cjs needs GT_HOLD_PORT');
net.createServer().listen(port, '127.0.0.1').unref();
