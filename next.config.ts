import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native modules stay on the server side, loaded by Node, never bundled.
  serverExternalPackages: ['cap', 'better-sqlite3', 'onnxruntime-node'],
};

export default config;
