#!/usr/bin/env node
// The `netguard` command. NetGuard ships TypeScript sources; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
// `netguard ... | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
