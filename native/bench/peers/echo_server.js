// A peer of native/bench/echo_server.c for ci/bench's peers group: the echo server a Node user
// writes (net.createServer). Each chunk is written back; a socket whose write buffer is full
// pauses reading until it drains. Prints "Listening on <port>"; SIGINT or SIGTERM end it.
//   node echo_server.js [port] [host]
'use strict';
const net = require('net');

const port = Number(process.argv[2] || 0);
const host = process.argv[3] || '127.0.0.1';

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('data', (chunk) => {
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen({ port, host, backlog: 4096 }, () => {
  console.log('Listening on ' + server.address().port);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(0));
}
