/**
 * The server's settings from its environment, checked once at start-up with messages a user
 * can act on. Nothing is exposed beyond this machine unless HOST says so, and then only with
 * a token; no file outside the allowed folders is ever read for a client (serverPaths.ts).
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const serverEnvSchema = z.object({
  /** Address to listen on. Default loopback only. */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Required when HOST is not loopback; every socket and API call must present it. */
  NETGUARD_TOKEN: z.string().min(16, 'NETGUARD_TOKEN must be at least 16 characters').optional(),
  /** Where the SQLite database lives. */
  NETGUARD_DATA_DIR: z.string().default('data'),
  /** The active model directory (model.onnx + model.json). */
  NETGUARD_MODEL: z.string().default('trained_models/live-corrected-family'),
  /** Capture files offered as samples on the dashboard. */
  NETGUARD_SAMPLES_DIR: z.string().default('datasets/pcaps'),
  /** Days threats and counters are kept. */
  NETGUARD_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /**
   * More folders whose files a client may name (capture files to replay, datasets to import,
   * compare or train on), ':'-separated like PATH. The samples, the shipped datasets/ folder
   * and <data>/datasets (uploads) are always allowed; nothing else is.
   */
  NETGUARD_ALLOWED_DIRS: z.string().default(''),
});

export type ServerConfig = z.output<typeof serverEnvSchema> & {
  loopbackOnly: boolean;
  /** Every folder a client-given path may lead into (absolute): see serverPaths.ts. */
  allowedDirectories: string[];
};

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

/** Parses the environment; throws an Error listing every problem. */
export function serverConfigFrom(env: Readonly<Record<string, string | undefined>>, root: string): ServerConfig {
  const parsed = serverEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const config = parsed.data;
  const loopbackOnly = isLoopbackHost(config.HOST);
  if (!loopbackOnly && config.NETGUARD_TOKEN === undefined) {
    throw new Error(
      `HOST=${config.HOST} exposes NetGuard beyond this machine; set NETGUARD_TOKEN to a secret of 16+ characters ` +
        '(clients then open http://HOST:PORT/?token=...) or bind HOST=127.0.0.1',
    );
  }
  const fromRoot = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const dataDirectory = fromRoot(config.NETGUARD_DATA_DIR);
  const samplesDirectory = fromRoot(config.NETGUARD_SAMPLES_DIR);
  const extra = config.NETGUARD_ALLOWED_DIRS.split(':').filter((entry) => entry.trim() !== '').map(fromRoot);
  // A typo here would silently allow nothing: say so at start-up instead.
  const missing = extra.filter((directory) => !statSync(directory, { throwIfNoEntry: false })?.isDirectory());
  if (missing.length > 0) throw new Error(`NETGUARD_ALLOWED_DIRS: ${missing.join(', ')} ${missing.length === 1 ? 'is not a folder' : 'are not folders'}`);
  return {
    ...config,
    NETGUARD_DATA_DIR: dataDirectory,
    NETGUARD_MODEL: fromRoot(config.NETGUARD_MODEL),
    NETGUARD_SAMPLES_DIR: samplesDirectory,
    loopbackOnly,
    // The shipped datasets/ holds the capture samples and the CSV samples of /datasets; uploads
    // land in <data>/datasets. The database and model folders are not in the list.
    allowedDirectories: [join(root, 'datasets'), samplesDirectory, join(dataDirectory, 'datasets'), ...extra],
  };
}
