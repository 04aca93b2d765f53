/**
 * Turns the datasets of a training request into files: a dataset catalogue id (lib/imports)
 * stands for all the files of that import; anything else must be a labelled file that the
 * given FileResolver accepts (the server's: inside its allowed folders, lib/config).
 */
import { isAbsolute } from 'node:path';
import { localFiles, type FileResolver } from '../config/fileResolver.ts';
import { PathError, PathErrorCode } from '../config/pathError.ts';

export interface DatasetLookup {
  get(id: string): { files: string[] } | undefined;
}

export function datasetResolver(catalogue: DatasetLookup | undefined, files: FileResolver): (datasets: string[]) => Promise<string[]> {
  return async (datasets) => {
    const found: string[] = [];
    for (const dataset of datasets) {
      const entry = catalogue?.get(dataset);
      if (entry) {
        found.push(...entry.files);
        continue;
      }
      try {
        found.push(files.resolveFile(dataset, 'dataset file'));
      } catch (error) {
        // A bare word that is no file was most likely meant as a catalogue id: say both.
        if (error instanceof PathError && (error.code === PathErrorCode.FILE_NOT_FOUND || !isAbsolute(dataset))) {
          throw new PathError(
            error.code,
            `dataset ${dataset} is neither an imported dataset id nor a file on the server; import it on /datasets or give the absolute path of a labelled dataset file (${error.message})`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    return [...new Set(found)];
  };
}

/** For callers outside the server (tests, scripts): any readable file, no catalogue. */
export const localDatasetResolver = datasetResolver(undefined, localFiles);
