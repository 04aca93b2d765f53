/**
 * Serves the dashboard (Next.js) with the realtime hub over the FixtureMonitor, for looking at
 * the page and for browser tests without the live monitor:
 *   PORT=3100 npx tsx test/app/serveFixtureDashboard.ts [--dev]
 */
import { createServer } from 'node:http';
import next from 'next';
import { attachRealtime } from '../../lib/realtime/hub.ts';
import { createReportRoute } from '../../lib/realtime/reportRoute.ts';
import { FixtureMonitor, incidentsFromCapture } from '../realtime/fixtureMonitor.ts';

const port = Number(process.env.PORT ?? 3100);
const token = process.env.NETGUARD_TOKEN;
const dev = process.argv.includes('--dev');
const app = next({ dev, hostname: '127.0.0.1', port, dir: new URL('../..', import.meta.url).pathname });
const handle = app.getRequestHandler();
await app.prepare();

const monitor = new FixtureMonitor(await incidentsFromCapture());
const report = createReportRoute({
  token,
  streamReport: (_query, out) => {
    out.write('Time,Source IP\r\n');
    out.end();
  },
});
const server = createServer((request, response) => {
  if (!report(request, response)) void handle(request, response);
});
attachRealtime(server, monitor, { token });
server.listen(port, '127.0.0.1', () => process.stdout.write(`fixture dashboard on http://127.0.0.1:${port}\n`));
