// Calls one endpoint of each capability of a running Parley through a client generated from its served OpenAPI
// document: openapi-typescript writes generated/schema.d.ts from /openapi/v1.json, openapi-fetch makes the calls, and
// `tsc` type-checks this file against the generated types first, so a path, a body member, a response member or a
// problem code that the document lacks fails the build before anything is sent.
// Usage: node out/calls.js SERVER PASSWORD; prints a JSON summary that the xunit test checks against the server.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

const [server, password] = process.argv.slice(2);
if (!server || !password) {
  console.error('usage: node out/calls.js SERVER PASSWORD');
  process.exit(2);
}

// Operation ids are part of the contract: these types exist only if the document names the operations so.
type Session = operations['SignIn']['responses'][200]['content']['application/json'];
type Transfer = components['schemas']['TransferDto'];

const anonymous = createClient<paths>({ baseUrl: server });
const as = (session: Session) => createClient<paths>({ baseUrl: server, headers: { Authorization: `Bearer ${session.token}` } });

/** Fails the run with what the server answered when a call did not succeed. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

// Accounts: register two users, sign both in.
const suffix = randomBytes(5).toString('hex');
const names = [`alice${suffix}`, `bob${suffix}`] as const;
for (const userName of names) ok(await anonymous.POST('/api/accounts', { body: { userName, password } }), `register ${userName}`);
const refused = await anonymous.POST('/api/sessions', { body: { userName: names[0], password: 'not the password' } });
// A problem code the document does not list for this response would not type-check here.
if (refused.error?.code !== 'auth.invalid_credentials') throw new Error(`wrong password: ${JSON.stringify(refused.error)}`);
const [aliceSession, bobSession] = await Promise.all(names.map(async (userName) =>
  ok(await anonymous.POST('/api/sessions', { body: { userName, password } }), `sign in ${userName}`)));
if (!aliceSession || !bobSession) throw new Error('unreachable');
const [alice, bob] = [as(aliceSession), as(bobSession)];

// Devices: alice registers an ECDSA P-256 key, which binds her session to it; it signs her shares' identifiers.
const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKey = device.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const signP1363 = (bytes: Buffer) => sign('sha256', bytes, { key: device.privateKey, dsaEncoding: 'ieee-p1363' });
ok(await alice.POST('/api/devices', {
  body: { name: 'generated client', publicKey, proof: signP1363(Buffer.from(`parley-device-v1\n${aliceSession.userId}\n${publicKey}`)).toString('base64') },
}), 'register device');

// Rooms: create one, invite bob, bob joins.
const room = ok(await alice.POST('/api/rooms', { body: { name: 'Generated client' } }), 'create room');
ok(await alice.POST('/api/rooms/{roomId}/invitations', { params: { path: { roomId: room.id } }, body: { userName: names[1] } }), 'invite');
ok(await bob.POST('/api/rooms/{roomId}/join', { params: { path: { roomId: room.id } } }), 'join');

// Messages: post, then read the history back.
const text = `hello from a generated client ${suffix}`;
const posted = ok(await alice.POST('/api/rooms/{roomId}/messages', { params: { path: { roomId: room.id } }, body: { text } }), 'post');
const history = ok(await bob.GET('/api/rooms/{roomId}/messages', { params: { path: { roomId: room.id }, query: { after: 0 } } }), 'history');
if (!history.messages.some((m) => m.id === posted.id && m.text === text)) throw new Error('the posted message is not in the history');

// Transfer: announce a picture for broadcast, prove ownership, upload it over tus, and find the ticket on the delivered transfer.
// A 1×1 PNG, small enough to write here and a real picture to the server's decoder.
const picture = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const digest = createHash('sha256').update(picture).digest();
const contentId = `sha256:${digest.toString('hex')}`;
// The local security identifier (docs/scanning.md): this device's signature that the picture passed its first
// detection against the server's current library version, now.
const library = ok(await alice.GET('/api/scanning/library', { params: { query: {} } }), 'library');
const fields = Buffer.alloc(16);
fields.writeBigUInt64BE(BigInt(library.version), 0);
fields.writeBigInt64BE(BigInt(Date.now()), 8);
const signature = signP1363(Buffer.concat([Buffer.from('parley-scan-id-v1\n'), digest, fields]));
const scanIdentifier = Buffer.concat([Buffer.from([1]), digest, fields, signature]).toString('base64url');
const announced = ok(await alice.POST('/api/transfers', {
  body: { contentId, size: picture.length, room: room.id, fileName: 'dot.png', mediaType: 'image/png', forBroadcast: true, scanIdentifier },
}), 'create transfer');
const nonce = Buffer.from(announced.challenge!.nonce, 'base64');
const proof = createHmac('sha256', nonce).update(picture).digest('base64');
const planned = ok(await alice.POST('/api/transfers/{transferId}/proof', { params: { path: { transferId: announced.id } }, body: { proof } }), 'prove');
// A picture this server already holds is delivered at the proof; otherwise the plan says what to upload.
const delivered: Transfer = planned.upload ? await upload(planned.upload.length) : planned;
if (delivered.state !== 'delivered' || !delivered.ticket) throw new Error(`expected a delivered transfer with a ticket: ${JSON.stringify(delivered)}`);

/** The whole picture over tus: create the upload, then one PATCH. */
async function upload(length: number | string): Promise<Transfer> {
  const tus = { 'Tus-Resumable': '1.0.0' };
  const created = await alice!.POST('/api/uploads', {
    params: { header: { ...tus, 'Upload-Length': String(length), 'Upload-Metadata': `transferId ${Buffer.from(announced.id).toString('base64')}` } },
  });
  const location = created.response.headers.get('Location');
  if (created.response.status !== 201 || !location) throw new Error(`create upload: ${created.response.status} ${JSON.stringify(created.error)}`);
  const appended = await alice!.PATCH('/api/uploads/{uploadId}', {
    params: { path: { uploadId: location.split('/').pop()! }, header: { ...tus, 'Upload-Offset': '0' } },
    // The document types the body as binary (a string to openapi-typescript); the bytes go as they are.
    body: picture as unknown as string,
    bodySerializer: (body) => body,
    headers: { 'Content-Type': 'application/offset+octet-stream' },
  });
  if (appended.response.status !== 204) throw new Error(`upload: ${appended.response.status} ${JSON.stringify(appended.error)}`);
  return ok(await alice!.GET('/api/transfers/{transferId}', { params: { path: { transferId: announced.id } } }), 'get transfer');
}

// Broadcast: a forged ticket is refused with its code; the real one reaches bob.
const forged = await alice.POST('/api/broadcasts', { body: { room: room.id, ticket: `${delivered.ticket}x` } });
if (forged.response.status !== 403 || !forged.error?.code.startsWith('ticket.')) throw new Error(`forged ticket: ${JSON.stringify(forged.error)}`);
const broadcast = ok(await alice.POST('/api/broadcasts', { body: { room: room.id, ticket: delivered.ticket } }), 'broadcast');

// Passphrase: alice opens a session with bob, who finds it among the requests waiting for him.
const share = randomBytes(65).toString('base64');
const session = ok(await alice.POST('/api/passphrase/sessions', { body: { share, to: names[1] } }), 'start passphrase session');
const waiting = ok(await bob.GET('/api/passphrase/requests'), 'passphrase requests');
if (!waiting.some((s) => s.id === session.id && s.requestShare === share)) throw new Error('bob does not see the passphrase request');

console.log(JSON.stringify({
  alice: names[0], room: room.id, message: posted.id, transfer: delivered.id, dedup: delivered.dedup, broadcastMessage: broadcast.messageId,
  reached: broadcast.reached, passphraseSession: session.id,
}));
