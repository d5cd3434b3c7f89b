import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadTls } from '../../src/server/tls.js';
import { errorOfCall } from '../support/errors.js';

// A committed self-signed pair for 127.0.0.1/localhost; test/fixtures/tls/README.md says how it was made.
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tls');
const certFile = path.join(FIXTURES, 'cert.pem');
const keyFile = path.join(FIXTURES, 'key.pem');
const dir = mkdtempSync(path.join(tmpdir(), 'shoal-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadTls', () => {
  test('a matching pair serves HTTPS that a client trusting the certificate can use', async () => {
    const tls = loadTls({ certFile, keyFile });
    const server = createServer(tls, (_req, res) => res.end('secure'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/info', ca: tls.cert }, (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () => resolve(s));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('secure');
    } finally {
      server.close();
    }
  });

  test('a missing file, a non-PEM file, a key of another certificate and an encrypted key are named clearly', () => {
    const missing = errorOfCall(() => loadTls({ certFile: path.join(dir, 'nope.pem'), keyFile }));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toMatch(/TLS certificate file not found: .*nope\.pem/);

    const notPem = path.join(dir, 'cert.der');
    writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    expect(errorOfCall(() => loadTls({ certFile: notPem, keyFile })).message).toMatch(/is not a PEM certificate/);

    const mismatch = errorOfCall(() => loadTls({ certFile, keyFile: path.join(FIXTURES, 'other-key.pem') }));
    expect(mismatch.message).toMatch(/does not match the certificate/);
    expect(mismatch.location).toMatch(/other-key\.pem$/);

    const garbage = path.join(dir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    expect(errorOfCall(() => loadTls({ certFile: garbage, keyFile })).message).toMatch(/does not hold a valid X\.509 certificate/);

    const encrypted = path.join(dir, 'enc.pem');
    writeFileSync(encrypted, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n');
    expect(errorOfCall(() => loadTls({ certFile, keyFile: encrypted })).message).toMatch(/is encrypted/);
  });
});
