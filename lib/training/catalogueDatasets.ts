/**
 * Turns the datasets of a training request into files: a dataset catalogue id (lib/imports)
 * stands for all the files of that import; anything else must be a labelled file on the server.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface DatasetLookup {
  get(id: string): { files: string[] } | undefined;
}

export function datasetResolver(catalogue?: DatasetLookup): (datasets: string[]) => Promise<string[]> {
  return async (datasets) => {
    const files: string[] = [];
    for (const dataset of datasets) {
      const entry = catalogue?.get(dataset);
      if (entry) {
        files.push(...entry.files);
        continue;
      }
      const info = await stat(dataset).catch(() => null);
      if (!info?.isFile()) {
        throw new Error(`dataset ${dataset} is neither an imported dataset id nor a file on the server; import it on /datasets or give the path of a labelled dataset file`);
      }
      files.push(resolve(dataset));
    }
    return [...new Set(files)];
  };
}
