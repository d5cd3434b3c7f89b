import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { ShoalError } from '../common/index.js';

export interface TlsFiles {
  /** PEM certificate (chain: the server's certificate first, then intermediates). */
  readonly certFile: string;
  /** PEM private key, unencrypted (PKCS#8, PKCS#1 or SEC1). */
  readonly keyFile: string;
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

/**
 * Reads and checks a certificate and key for `https.createServer({ cert, key })`, so that a wrong file is reported
 * at start with its name rather than as an OpenSSL error on the first connection: missing file, not PEM, a key
 * that does not belong to the certificate, an encrypted key.
 */
export function loadTls(files: TlsFiles): TlsMaterial {
  const cert = readPem(files.certFile, 'certificate', /-----BEGIN CERTIFICATE-----/);
  const key = readPem(files.keyFile, 'private key', /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(key)) {
    throw tlsError(files.keyFile, `The private key in ${files.keyFile} is encrypted`, 'Give an unencrypted key, e.g. openssl pkey -in key.pem -out plain.pem');
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw tlsError(files.certFile, `${files.certFile} does not hold a valid X.509 certificate (${messageOf(e)})`, undefined, e);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (e) {
    throw tlsError(files.keyFile, `${files.keyFile} does not hold a valid private key (${messageOf(e)})`, undefined, e);
  }
  if (!x509.checkPrivateKey(keyObject)) {
    throw tlsError(files.keyFile, `The private key in ${files.keyFile} does not match the certificate in ${files.certFile}`, 'Give the key the certificate was issued for');
  }
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw tlsError(files.certFile, `TLS cannot use ${files.certFile} with ${files.keyFile} (${messageOf(e)})`, undefined, e);
  }
  return { cert, key };
}

function readPem(path: string, what: string, begin: RegExp): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : '';
    if (code === 'ENOENT') throw new ShoalError('FILE_NOT_FOUND', `TLS ${what} file not found: ${path}`, { location: path, cause: e });
    throw new ShoalError('CANNOT_OPEN_FILE', `Cannot read the TLS ${what} file ${path} (${code || messageOf(e)})`, { location: path, cause: e });
  }
  if (!begin.test(text)) {
    throw tlsError(path, `${path} is not a PEM ${what} (no "-----BEGIN …" block found)`, 'Convert DER files with: openssl x509 -inform der -in cert.der -out cert.pem (or openssl pkey for keys)');
  }
  return text;
}

function tlsError(path: string, message: string, hint?: string, cause?: unknown): ShoalError {
  return new ShoalError('INVALID_COMMAND_LINE', message, { location: path, hint, cause });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
