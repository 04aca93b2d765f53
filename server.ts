/**
 * NetGuard's process: a Next.js custom server. Binds 127.0.0.1 by default so nothing is
 * exposed beyond this machine unless HOST says so.
 */
import { createServer } from 'node:http';
import next from 'next';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const dev = process.env.NODE_ENV === 'development';

const app = next({ dev, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  void handle(request, response);
});
server.listen(port, host, () => {
  process.stdout.write(`NetGuard dashboard on http://${host}:${port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
