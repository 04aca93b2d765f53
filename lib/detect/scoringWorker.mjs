// Worker entry of the scoring thread. The loop is TypeScript, so tsx is registered in this
// thread first (a worker does not inherit the parent's loader hooks), as bin/netguard.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./scoringWorker.ts');
