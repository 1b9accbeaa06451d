import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  dir: string;
  keyPath: string;
  certPath: string;
}

/** A fresh self-signed certificate (P-256) for `host` and 127.0.0.1, made with openssl. */
export function selfSignedCert(host = 'mx.sori.test'): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'sori-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host},IP:127.0.0.1`,
    ],
    { stdio: 'ignore' },
  );
  return { dir, keyPath, certPath };
}
