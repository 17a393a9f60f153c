import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from './global-setup.js';

const DOVECOT_CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A connected client as the test user (closed by `stop`). */
  imap(): Promise<ImapFlow>;
  /** Puts a message into a mailbox the way a delivery would (IMAP APPEND); returns its UID. */
  append(mailbox: string, raw: Buffer | string): Promise<number>;
  createMailbox(mailbox: string): Promise<void>;
  deleteMailbox(mailbox: string): Promise<void>;
  uidValidity(mailbox: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A private dovecot (Debian `dovecot-imapd`) in a temporary directory: plain IMAP on a free loopback
 * port, one user from a passwd-file, maildir storage. Fails loudly when dovecot is not installed.
 */
export async function startDovecot(): Promise<Dovecot> {
  const binary = DOVECOT_CANDIDATES.find((p) => existsSync(p));
  if (!binary) {
    throw new Error("dovecot is not installed: the e-mail tests need Debian's dovecot-imapd (apt-get install -y dovecot-imapd)");
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-dovecot-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const user = 'support@shop.test';
  const password = 'mailbox-password';
  const asRoot = process.getuid?.() === 0;
  const me = os.userInfo().username;
  // Dovecot refuses to run login processes or mail access as root: as root they run as system users.
  const mailUser = asRoot ? 'nobody' : me;
  const mailGroup = asRoot ? 'nogroup' : await groupName(process.getgid?.() ?? 0);
  await mkdir(path.join(dir, 'mail'));
  if (asRoot) await chown(path.join(dir, 'mail'), 65534, 65534);
  await writeFile(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::\n`);
  const conf = `
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
default_internal_user = ${me}
default_internal_group = ${asRoot ? 'root' : mailGroup}
default_login_user = ${asRoot ? 'dovenull' : me}
first_valid_uid = 1
first_valid_gid = 1
mail_uid = ${mailUser}
mail_gid = ${mailGroup}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
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
protocol imap {
  mail_max_userip_connections = 200
}
`;
  await writeFile(path.join(dir, 'dovecot.conf'), conf);
  const child = spawn(binary, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // A test process that dies without its afterAll must not leave dovecot running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitForGreeting(port, child, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start: ${(err as Error).message}\n${output}\n${log}`);
  }

  const clients: ImapFlow[] = [];
  const imap = async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  let shared: ImapFlow | undefined;
  const admin = async () => (shared?.usable ? shared : (shared = await imap()));
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    imap,
    async append(mailbox, raw) {
      const res = await (await admin()).append(mailbox, typeof raw === 'string' ? Buffer.from(raw) : raw);
      if (!res || !res.uid) throw new Error(`APPEND to ${mailbox} returned no UID`);
      return res.uid;
    },
    async createMailbox(mailbox) {
      await (await admin()).mailboxCreate(mailbox);
    },
    async deleteMailbox(mailbox) {
      await (await admin()).mailboxDelete(mailbox);
    },
    async uidValidity(mailbox) {
      const status = await (await admin()).status(mailbox, { uidValidity: true });
      if (!status || status.uidValidity === undefined) throw new Error(`no STATUS for ${mailbox}`);
      return Number(status.uidValidity);
    },
    async stop() {
      await Promise.all(clients.map((c) => c.logout().catch(() => c.close())));
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timeout);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The name of a group id (dovecot's settings take names). */
async function groupName(gid: number): Promise<string> {
  const groups = await readFile('/etc/group', 'utf8').catch(() => '');
  const line = groups.split('\n').find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

function waitForGreeting(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`dovecot exited with code ${child.exitCode}`));
      if (Date.now() > deadline) return reject(new Error('no IMAP greeting'));
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(2_000);
      socket.once('data', (d) => {
        socket.destroy();
        if (d.toString().startsWith('* OK')) resolve();
        else setTimeout(attempt, 200);
      });
      socket.once('error', () => setTimeout(attempt, 200));
      socket.once('timeout', () => {
        socket.destroy();
        setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** A scripted answer to RCPT TO for one recipient: `times` failures with this code and text. */
interface RcptRule {
  code: number;
  message: string;
  times: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  user: string;
  password: string;
  received: ReceivedMail[];
  /** Recipients and how often they were tried (RCPT TO), rejected or not. */
  attempts: Map<string, number>;
  rejectRecipient(address: string, code: number, message: string, times?: number): void;
  /** While true, every login is refused with 535 (a password changed on the server). */
  refuseLogins: boolean;
  stop(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) that requires a login and keeps what it receives. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const user = 'support@shop.test';
  const password = 'smtp-password';
  const received: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  const rules = new Map<string, RcptRule>();
  const state = { refuseLogins: false };
  const server = new SMTPServer({
    // Plain text on loopback: the tests exercise the protocol, not certificates.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (!state.refuseLogins && auth.username === user && auth.password === password) return callback(null, { user });
      const err = Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
      callback(err);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const to = address.address.toLowerCase();
      attempts.set(to, (attempts.get(to) ?? 0) + 1);
      const rule = rules.get(to);
      if (rule && rule.times > 0) {
        rule.times--;
        return callback(Object.assign(new Error(rule.message), { responseCode: rule.code }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const from = session.envelope.mailFrom;
            received.push({ from: from ? from.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  server.on('error', () => undefined);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    received,
    attempts,
    rejectRecipient(address, code, message, times = Number.POSITIVE_INFINITY) {
      rules.set(address.toLowerCase(), { code, message, times });
    },
    get refuseLogins() {
      return state.refuseLogins;
    },
    set refuseLogins(value: boolean) {
      state.refuseLogins = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An e-mail channel's settings for these servers, reading `folder` (overrides change any setting). */
export function emailChannelConfig(
  dovecot: Dovecot,
  smtp: SmtpSink,
  folder: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    address: 'support@shop.test',
    imapHost: dovecot.host,
    imapPort: dovecot.port,
    imapSecure: false,
    imapUser: dovecot.user,
    imapPassword: dovecot.password,
    imapMailbox: folder,
    smtpHost: smtp.host,
    smtpPort: smtp.port,
    smtpSecure: false,
    smtpUser: smtp.user,
    smtpPassword: smtp.password,
    ...overrides,
  };
}
