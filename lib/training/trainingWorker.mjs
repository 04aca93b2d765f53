// Worker entry of a training job. The job module is TypeScript, so tsx is registered in this
// thread first (a worker does not inherit the parent's loader hooks), as bin/netguard.mjs does.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runTrainingJob } = await import('./trainingJob.ts');
await runTrainingJob(workerData, (message) => parentPort.postMessage(message));
