// The ceiling: a bare node:http handler answering a JSON body of the same shape as a secret read.
import { createServer } from 'node:http';

const body = JSON.stringify({
  path: 'bench/app/api-key',
  version: 1,
  value: 'x'.repeat(40),
  type: 'api_key',
  tier: 'sensitive',
  createdAt: new Date().toISOString(),
});
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
