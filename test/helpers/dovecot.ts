import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Dovecot {
  port: number;
  stop(): Promise<void>;
}

const BINARY = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** uid and gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throw-away Dovecot IMAP server (Debian's dovecot-imapd) for tests: its own config, mail and
 * runtime dirs in a temp dir, plain-text login on 127.0.0.1 and a free port. As root it runs its
 * login and mail processes as Dovecot's own users (it refuses root for those); otherwise as the
 * current user.
 */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!existsSync(BINARY)) {
    throw new Error(`Dovecot is not installed at ${BINARY}: apt-get install dovecot-imapd (or set DOVECOT_PATH).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sori-dovecot-'));
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  const root = process.getuid?.() === 0;
  const mailUser = root ? systemUser('dovecot') : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (!mailUser || (root && !systemUser('dovenull'))) throw new Error('Dovecot system users are missing.');
  if (root) chownSync(join(dir, 'mail'), mailUser.uid, mailUser.gid);
  const me = userInfo().username;
  writeFileSync(
    join(dir, 'passwd'),
    Object.entries(users)
      .map(([u, p]) => `${u}:{PLAIN}${p}::::::`)
      .join('\n') + '\n',
    { mode: 0o644 },
  );
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${mailUser.uid}
first_valid_gid = ${mailUser.gid}
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : me}
default_login_user = ${root ? 'dovenull' : me}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/mail/%u
}
`,
  );
  const child: ChildProcess = spawn(BINARY, ['-F', '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Dovecot did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
