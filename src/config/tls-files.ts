import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Reads and checks a PEM key and certificate pair at start-up, so a wrong path, an unreadable
 * file or a key of another certificate stops the app with the variable named instead of failing
 * at the first STARTTLS. Returns the problems, empty when the pair is usable.
 */
export function tlsPairProblems(key: { name: string; path: string }, cert: { name: string; path: string }): string[] {
  const read = (v: { name: string; path: string }): Buffer | string => {
    try {
      return readFileSync(v.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      return `${v.name}: cannot read ${v.path} (${code})`;
    }
  };
  const keyPem = read(key);
  const certPem = read(cert);
  const problems = [keyPem, certPem].filter((x): x is string => typeof x === 'string');
  if (problems.length) return problems;
  let privateKey: ReturnType<typeof createPrivateKey> | undefined;
  let certificate: X509Certificate | undefined;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    problems.push(`${key.name}: ${key.path} is not a PEM private key (without a passphrase)`);
  }
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    problems.push(`${cert.name}: ${cert.path} is not a PEM certificate`);
  }
  if (privateKey && certificate && !certificate.checkPrivateKey(privateKey)) {
    problems.push(`${key.name}: the key in ${key.path} does not belong to the certificate in ${cert.name}`);
  }
  return problems;
}
