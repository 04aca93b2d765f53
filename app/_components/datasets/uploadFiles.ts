/**
 * The browser side of POST /api/datasets/upload: XMLHttpRequest rather than fetch because it
 * reports upload progress. Resolves with the staged upload or an error message; abort() cancels
 * (the server then keeps nothing).
 */
import { UPLOAD_PATH, type StagedUpload } from '../../../lib/imports/importContract.ts';

export interface UploadHandle {
  done: Promise<{ ok: true; upload: StagedUpload } | { ok: false; msg: string }>;
  abort(): void;
}

export function uploadFiles(files: readonly File[], token: string | null, onProgress: (fraction: number) => void): UploadHandle {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  const request = new XMLHttpRequest();
  const done = new Promise<{ ok: true; upload: StagedUpload } | { ok: false; msg: string }>((resolve) => {
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = parseBody(request.responseText);
      if (request.status === 201 && body?.upload) resolve({ ok: true, upload: body.upload });
      else resolve({ ok: false, msg: body?.error?.message ?? `upload failed (HTTP ${request.status})` });
    };
    request.onerror = () => resolve({ ok: false, msg: 'upload failed: the connection to the server broke' });
    request.onabort = () => resolve({ ok: false, msg: 'upload cancelled; nothing was kept on the server' });
  });
  request.open('POST', token ? `${UPLOAD_PATH}?token=${encodeURIComponent(token)}` : UPLOAD_PATH);
  request.send(form);
  return { done, abort: () => request.abort() };
}

function parseBody(text: string): { upload?: StagedUpload; error?: { message: string } } | null {
  try {
    return JSON.parse(text) as { upload?: StagedUpload; error?: { message: string } };
  } catch {
    return null; // not JSON: reported with the status
  }
}
