import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '../../test/helpers/tls';
import { ConfigError, loadConfig } from './config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'sori-config-'));

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ DATA_DIR: dataDir() });
    expect(c.port).toBe(3000);
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.database.url).toBeUndefined();
    expect(c.mail.transport).toBe('log');
    expect(c.demo).toBe(false);
  });

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['PORT', '70000', 'PORT'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['BASE_URL', 'not a url', 'BASE_URL'],
    ['APP_SECRET', 'short', 'APP_SECRET'],
    ['SORI_DEMO', 'maybe', 'SORI_DEMO'],
    ['MAX_UPLOAD_BYTES', '-5', 'MAX_UPLOAD_BYTES'],
  ])('refuses %s=%s and names the variable', (name, value, expected) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ DATA_DIR: dataDir(), [name]: value });
    } catch (err) {
      expect((err as ConfigError).message).toContain(expected);
    }
  });

  it('requires SMTP_URL when mail goes through SMTP', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL/);
  });

  const message = (env: Record<string, string>) => {
    try {
      loadConfig({ DATA_DIR: dataDir(), ...env });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('refuses half-set SMTP receiver credentials and TLS files, naming the missing variable', () => {
    expect(message({ EMAIL_SMTP_AUTH_USER: 'relay' })).toContain(
      'EMAIL_SMTP_AUTH_PASSWORD: required together with EMAIL_SMTP_AUTH_USER',
    );
    expect(message({ EMAIL_SMTP_AUTH_PASSWORD: 'long-enough-secret' })).toContain(
      'EMAIL_SMTP_AUTH_USER: required together with EMAIL_SMTP_AUTH_PASSWORD',
    );
    expect(message({ EMAIL_SMTP_AUTH_USER: 'relay', EMAIL_SMTP_AUTH_PASSWORD: 'short' })).toContain(
      'EMAIL_SMTP_AUTH_PASSWORD',
    );
    expect(message({ EMAIL_SMTP_TLS_KEY: '/etc/sori/key.pem' })).toContain(
      'EMAIL_SMTP_TLS_CERT: required together with EMAIL_SMTP_TLS_KEY',
    );
  });

  it('refuses TLS files that cannot be read, are not PEM, or do not belong together', () => {
    const a = selfSignedCert();
    const b = selfSignedCert();
    expect(message({ EMAIL_SMTP_TLS_KEY: a.keyPath, EMAIL_SMTP_TLS_CERT: join(a.dir, 'missing.pem') })).toContain(
      `EMAIL_SMTP_TLS_CERT: cannot read ${join(a.dir, 'missing.pem')} (ENOENT)`,
    );
    const garbage = join(a.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(message({ EMAIL_SMTP_TLS_KEY: a.keyPath, EMAIL_SMTP_TLS_CERT: garbage })).toContain(
      `EMAIL_SMTP_TLS_CERT: ${garbage} is not a PEM certificate`,
    );
    expect(message({ EMAIL_SMTP_TLS_KEY: a.certPath, EMAIL_SMTP_TLS_CERT: a.certPath })).toContain(
      'EMAIL_SMTP_TLS_KEY:',
    );
    expect(message({ EMAIL_SMTP_TLS_KEY: b.keyPath, EMAIL_SMTP_TLS_CERT: a.certPath })).toContain(
      'EMAIL_SMTP_TLS_KEY: the key in',
    );
    const ok = loadConfig({ DATA_DIR: dataDir(), EMAIL_SMTP_TLS_KEY: a.keyPath, EMAIL_SMTP_TLS_CERT: a.certPath });
    expect(ok.email.smtp.tls).toEqual({ keyPath: a.keyPath, certPath: a.certPath });
  });

  it('treats empty variables as unset', () => {
    const c = loadConfig({ DATA_DIR: dataDir(), PORT: '', DATABASE_URL: '' });
    expect(c.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
  });

  it('generates the app secret once into the data dir, private, and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.secrets.app).toHaveLength(43);
    expect(second.secrets.app).toBe(first.secrets.app);
    const file = join(dir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ app: first.secrets.app });
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadConfig({ DATA_DIR: dataDir() }).secrets.app).not.toBe(first.secrets.app);
  });

  it('uses APP_SECRET when given and writes nothing', () => {
    const c = loadConfig({ DATA_DIR: join(dataDir(), 'never-created'), APP_SECRET: 'x'.repeat(40) });
    expect(c.secrets.app).toBe('x'.repeat(40));
  });
});
