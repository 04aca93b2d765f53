/**
 * The scoring thread's loop: loads the model, then answers requests one at a time in the order
 * they came, so verdicts return in the order flows finished.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FlowVerdicts } from './flowVerdicts.ts';
import type { ScoringReply, ScoringRequest, ScoringWorkerData } from './scoringMessages.ts';

const port = parentPort!;
const reply = (message: ScoringReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const { modelDirectory } = workerData as ScoringWorkerData;

let verdicts: FlowVerdicts;
try {
  verdicts = await FlowVerdicts.load(modelDirectory);
  reply({ type: 'ready', metadata: verdicts.metadata });
} catch (error) {
  reply({ type: 'load-failed', message: (error as Error).message });
  process.exit(0);
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ScoringRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: ScoringRequest): Promise<void> {
  try {
    switch (request.type) {
      case 'score': {
        const batch = await verdicts.verdicts(request.rows, request.count);
        reply({ type: 'scored', id: request.id, batch }, [batch.confidence.buffer as ArrayBuffer, batch.classIndex.buffer as ArrayBuffer]);
        break;
      }
      case 'swap':
        reply({ type: 'swapped', id: request.id, metadata: await verdicts.swap(request.modelDirectory) });
        break;
      case 'close':
        await verdicts.close();
        reply({ type: 'closed', id: request.id });
        port.close();
        break;
    }
  } catch (error) {
    reply({ type: 'failed', id: request.id, message: (error as Error).message });
  }
}
