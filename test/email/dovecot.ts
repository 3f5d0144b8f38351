import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';

function userFromPasswd(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`user ${name} not found (is dovecot-imapd installed?)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A free TCP port on 127.0.0.1 (bind to 0, read it, release it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  url(mailbox?: string): string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real IMAP server for the tests: Debian's dovecot-imapd with a configuration of its own
 * (everything under a temp dir, plain-text login on 127.0.0.1 only, Maildir, one user from a
 * passwd-file), run in the foreground as whoever runs the tests — no root needed, nothing of
 * the system's dovecot touched.
 */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'answerdesk-dovecot-'));
  for (const d of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, d));
  const port = await freePort();
  // Unprivileged: everything runs as the caller. As root (CI containers) dovecot's login and
  // mail processes must not run as root: Debian's dovenull and dovecot users take those roles.
  const me = userInfo();
  const root = me.uid === 0;
  const mailUser = root ? userFromPasswd('dovecot') : { uid: me.uid, gid: me.gid };
  if (root) {
    chmodSync(dir, 0o755); // the auth process (user dovecot) reads the passwd-file in it
    for (const d of ['mail', 'home']) chownSync(join(dir, d), mailUser.uid, mailUser.gid);
  }
  const user = 'support@tidyflow.test';
  const pass = 'imap-test-password';
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${pass}::::\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%n
default_login_user = ${root ? 'dovenull' : me.username}
default_internal_user = ${root ? 'dovecot' : me.username}
default_internal_group = ${root ? 'dovecot' : String(me.gid)}
first_valid_uid = ${Math.min(mailUser.uid, 500)}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/home/%n
}
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
`,
  );
  const proc: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  const log = () => {
    try {
      return output + readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return output;
    }
  };
  // Ready when the IMAP greeting arrives.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const greeting = await new Promise<string>((resolve) => {
      const socket = new Socket();
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString());
      });
      socket.once('error', () => resolve(''));
      socket.setTimeout(500, () => {
        socket.destroy();
        resolve('');
      });
      socket.connect(port, '127.0.0.1');
    });
    if (greeting.startsWith('* OK')) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGTERM');
      throw new Error(`dovecot did not start:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    user,
    pass,
    url: (mailbox = 'INBOX') => `imap://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${mailbox}`,
    log,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
