// Uploads a file for an existing Parley transfer with tus-js-client, the reference tus client, to show
// that Parley's /api/uploads speaks plain tus 1.0.0 (creation, then PATCH after PATCH).
// Usage: node upload.mjs SERVER TOKEN TRANSFER_ID FILE; prints the upload's URL on success.
import fs from 'node:fs';
import path from 'node:path';
import tus from 'tus-js-client';

const [server, token, transferId, file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node upload.mjs SERVER TOKEN TRANSFER_ID FILE');
  process.exit(2);
}

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint: new URL('/api/uploads', server).href,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { transferId, filename: path.basename(file) },
  uploadSize: fs.statSync(file).size,
  // Several PATCH requests, each continuing from the offset the previous one reached.
  chunkSize: 256 * 1024,
  // A test wants the first failure, not a retry that hides it.
  retryDelays: [],
  onError: (error) => {
    console.error(String(error));
    process.exit(1);
  },
  onSuccess: () => console.log(upload.url),
});
upload.start();
