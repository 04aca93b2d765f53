/**
 * The server side of the lab: nginx (HTTP on 80 and 8080, static pages, downloads, a basic-auth
 * area), sshd (22 and 2222), dnsmasq (local names) and two vsftpd instances (21 and 2121).
 *
 * Every config, key, page and log lives in the run's temporary folder. The lab user exists only
 * for the SSH and FTP daemons: they start under `ip netns exec`, which already gives each a
 * private mount namespace, and bind-mount a copy of /etc/passwd, /etc/shadow and /etc/group that
 * contains the user over the real ones. Nothing under /etc changes. The one path outside the
 * temp folder is /run/sshd (sshd's compiled-in privilege-separation directory), which is created
 * only when missing and removed again at cleanup.
 */
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync, writeSync, closeSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { DNS_MISSING, DNS_NAMES, HTTP_ADMIN, LAB_USER, PORTS } from './labConfig.ts';
import { sh, sleep, start } from './proc.ts';

export interface SiteFiles {
  pages: string[];
  downloads: { path: string; bytes: number }[];
}

/** The pages and downloads every client picks from (paths relative to the web root). */
export const SITE: SiteFiles = {
  pages: ['/', '/index.html', '/about.html', '/news.html', '/docs/gpl-3.html', '/docs/apache-2.html', '/docs/words.html', '/style.css'],
  downloads: [
    { path: '/files/readme-100k.txt', bytes: 100_000 },
    { path: '/files/manual-400k.txt', bytes: 400_000 },
    { path: '/files/bundle-1m.bin', bytes: 1_000_000 },
    { path: '/files/archive-5m.bin', bytes: 5_000_000 },
  ],
};

/** Source folders for the download files, read in sorted order (real bytes from the machine). */
const TEXT_SOURCES = ['/usr/share/dict', '/usr/share/common-licenses', '/usr/share/doc'];
const BINARY_SOURCES = ['/usr/share/locale', '/usr/share/zoneinfo', '/usr/share/doc'];

function* filesUnder(folder: string, depth = 0): Generator<string> {
  if (depth > 6 || !existsSync(folder)) return;
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(folder, name);
    let info;
    try {
      info = statSync(path);
    } catch {
      continue;
    }
    if (info.isDirectory()) yield* filesUnder(path, depth + 1);
    else if (info.isFile() && info.size > 0) yield path;
  }
}

/** `head -c bytes` of the concatenation of real files under `sources`. */
function writeHead(target: string, bytes: number, sources: readonly string[]): void {
  const out = openSync(target, 'w');
  const buffer = Buffer.alloc(65536);
  let written = 0;
  outer: for (const folder of sources) {
    for (const path of filesUnder(folder)) {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        continue;
      }
      for (;;) {
        const want = Math.min(buffer.length, bytes - written);
        const got = readSync(fd, buffer, 0, want, null);
        if (got <= 0) break;
        writeSync(out, buffer, 0, got);
        written += got;
        if (written >= bytes) break;
      }
      closeSync(fd);
      if (written >= bytes) break outer;
    }
  }
  closeSync(out);
}

function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/style.css"></head>\n<body>\n<nav><a href="/">Home</a> | <a href="/about.html">About</a> | <a href="/news.html">News</a> | <a href="/docs/gpl-3.html">GPL</a> | <a href="/docs/apache-2.html">Apache</a></nav>\n<h1>${title}</h1>\n${body}\n</body>\n</html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readOr(path: string, fallback: string, limit = 200_000): string {
  try {
    return readFileSync(path, 'utf8').slice(0, limit);
  } catch {
    return fallback;
  }
}

function writeSite(root: string): void {
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(join(root, 'files'), { recursive: true });
  mkdirSync(join(root, 'admin'), { recursive: true });
  const downloadList = SITE.downloads.map((file) => `<li><a href="${file.path}">${file.path.slice(7)}</a> (${file.bytes} bytes)</li>`).join('\n');
  writeFileSync(join(root, 'index.html'), htmlPage('Lab intranet', `<p>Welcome to the lab intranet.</p>\n<h2>Downloads</h2>\n<ul>\n${downloadList}\n</ul>\n<p><a href="/admin/">Administration</a></p>`));
  writeFileSync(join(root, 'about.html'), htmlPage('About', '<p>This server hosts the team pages, a file area over HTTP and FTP, SSH for the operators and the local DNS zone lab.test.</p>'));
  writeFileSync(join(root, 'news.html'), htmlPage('News', '<ul><li>Backups now run nightly at 02:00.</li><li>The FTP area moved to ftp.lab.test.</li><li>Please use SSH keys where you can.</li></ul>'));
  writeFileSync(join(root, 'style.css'), 'body{font-family:sans-serif;margin:2em;max-width:60em}nav a{margin-right:.5em}pre{white-space:pre-wrap}\n');
  writeFileSync(join(root, 'docs', 'gpl-3.html'), htmlPage('GNU GPL 3', `<pre>${escapeHtml(readOr('/usr/share/common-licenses/GPL-3', 'GPL text not found on this machine.'))}</pre>`));
  writeFileSync(join(root, 'docs', 'apache-2.html'), htmlPage('Apache License 2.0', `<pre>${escapeHtml(readOr('/usr/share/common-licenses/Apache-2.0', 'Apache text not found on this machine.'))}</pre>`));
  writeFileSync(join(root, 'docs', 'words.html'), htmlPage('Word list', `<pre>${escapeHtml(readOr('/usr/share/dict/words', 'no word list', 60_000))}</pre>`));
  writeFileSync(join(root, 'admin', 'index.html'), htmlPage('Administration', '<p>Service status: all green.</p>'));
  for (const file of SITE.downloads) {
    writeHead(join(root, file.path), file.bytes, file.path.endsWith('.txt') ? TEXT_SOURCES : BINARY_SOURCES);
  }
}

export interface ServerHandles {
  processes: ChildProcess[];
  createdRunSshd: boolean;
}

/** Writes every config into `dir` and starts the servers listening on `address` inside `namespace`. */
export async function startServers(namespace: string, address: string, dir: string): Promise<ServerHandles> {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  // The lab user (uid 4242) must reach its home and the FTP files through the temp folder.
  chmodSync(dir, 0o755);

  // --- the lab user, visible only to sshd and vsftpd ---------------------------------------
  const etc = join(dir, 'etc');
  const home = join(dir, 'home');
  mkdirSync(etc, { recursive: true });
  mkdirSync(join(home, 'files'), { recursive: true });
  const hash = sh(['openssl', 'passwd', '-6', '-stdin'], { input: `${LAB_USER.password}\n` }).trim();
  writeFileSync(join(etc, 'passwd'), `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${LAB_USER.name}:x:${LAB_USER.uid}:${LAB_USER.uid}:NetGuard lab user:${home}:/bin/bash\n`);
  writeFileSync(join(etc, 'shadow'), `${readFileSync('/etc/shadow', 'utf8').trimEnd()}\n${LAB_USER.name}:${hash}:20000:0:99999:7:::\n`, { mode: 0o640 });
  writeFileSync(join(etc, 'group'), `${readFileSync('/etc/group', 'utf8').trimEnd()}\n${LAB_USER.name}:x:${LAB_USER.uid}:\n`);
  writeFileSync(join(home, '.profile'), 'export PS1="labuser@srv$ "\n');
  writeFileSync(join(home, 'notes.txt'), 'rotate logs on friday\ncheck backup report\n');

  // --- web root, downloads (also offered over FTP) -------------------------------------------
  const www = join(dir, 'www');
  writeSite(www);
  for (const file of SITE.downloads) copyFileSync(join(www, file.path), join(home, 'files', file.path.slice(7)));
  chownSync(home, LAB_USER.uid, LAB_USER.uid);
  writeFileSync(join(dir, 'htpasswd'), sh(['htpasswd', '-nbB', HTTP_ADMIN.name, HTTP_ADMIN.password]));

  // Private copies of the user database for the SSH and FTP daemons only.
  const withLabUser = (argv: string[]): string[] => [
    'sh', '-c',
    'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && mount --bind "$3" /etc/group && shift 3 && exec "$@"',
    'sh', join(etc, 'passwd'), join(etc, 'shadow'), join(etc, 'group'), ...argv,
  ];

  const processes: ChildProcess[] = [];

  // --- nginx ----------------------------------------------------------------------------------
  const nginxTmp = join(dir, 'nginx-tmp');
  mkdirSync(nginxTmp, { recursive: true });
  const nginxConf = join(dir, 'nginx.conf');
  writeFileSync(nginxConf, `daemon off;
master_process on;
worker_processes 1;
user root root;
pid ${join(dir, 'nginx.pid')};
error_log ${join(logs, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${join(logs, 'nginx-access.log')};
  client_body_temp_path ${nginxTmp}/body;
  proxy_temp_path ${nginxTmp}/proxy;
  fastcgi_temp_path ${nginxTmp}/fastcgi;
  uwsgi_temp_path ${nginxTmp}/uwsgi;
  scgi_temp_path ${nginxTmp}/scgi;
  sendfile on;
  keepalive_timeout 15;
  server {
    listen ${address}:${PORTS.http};
    listen ${address}:${PORTS.httpAlt};
    server_name www.lab.test files.lab.test intranet.lab.test;
    root ${www};
    index index.html;
    location /admin/ {
      auth_basic "lab administration";
      auth_basic_user_file ${join(dir, 'htpasswd')};
    }
  }
}
`);
  processes.push(start(['nginx', '-c', nginxConf, '-p', dir], { namespace, logFile: join(logs, 'nginx.out') }));

  // --- sshd -----------------------------------------------------------------------------------
  let createdRunSshd = false;
  if (!existsSync('/run/sshd')) {
    mkdirSync('/run/sshd', { mode: 0o755 });
    createdRunSshd = true;
  }
  const sshDir = join(dir, 'ssh');
  mkdirSync(sshDir, { recursive: true });
  const hostKey = join(sshDir, 'ssh_host_ed25519_key');
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'ngl-lab', '-f', hostKey]);
  const sshdConf = join(sshDir, 'sshd_config');
  writeFileSync(sshdConf, `Port ${PORTS.ssh}
Port ${PORTS.sshAlt}
ListenAddress ${address}
HostKey ${hostKey}
PidFile ${join(sshDir, 'sshd.pid')}
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers ${LAB_USER.name}
StrictModes no
MaxAuthTries 3
MaxStartups 200:30:400
LoginGraceTime 30
PrintMotd no
AcceptEnv LANG
Subsystem sftp internal-sftp
`);
  processes.push(start(withLabUser(['/usr/sbin/sshd', '-D', '-e', '-f', sshdConf]), { namespace, logFile: join(logs, 'sshd.log') }));

  // --- dnsmasq ---------------------------------------------------------------------------------
  const dnsConf = join(dir, 'dnsmasq.conf');
  writeFileSync(dnsConf, [
    'no-resolv', 'no-hosts', 'no-poll', 'bind-interfaces', `listen-address=${address}`, `port=${PORTS.dns}`,
    'user=root', `pid-file=${join(dir, 'dnsmasq.pid')}`, 'local=/lab.test/', 'log-queries', `log-facility=${join(logs, 'dnsmasq.log')}`,
    ...DNS_NAMES.map((name) => `address=/${name}/${address}`),
    `txt-record=lab.test,"v=spf1 -all"`,
    `mx-host=lab.test,mail.lab.test,10`,
  ].join('\n') + '\n');
  void DNS_MISSING; // answered NXDOMAIN by `local=/lab.test/`
  processes.push(start(['dnsmasq', '-k', `--conf-file=${dnsConf}`], { namespace, logFile: join(logs, 'dnsmasq.out') }));

  // --- vsftpd x2 -----------------------------------------------------------------------------
  const empty = join(dir, 'vsftpd-empty');
  mkdirSync(empty, { recursive: true, mode: 0o755 });
  for (const [port, pasvLow] of [[PORTS.ftp, 30000], [PORTS.ftpAlt, 30200]] as const) {
    const conf = join(dir, `vsftpd-${port}.conf`);
    writeFileSync(conf, `listen=YES
listen_ipv6=NO
listen_address=${address}
listen_port=${port}
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=${empty}
pasv_enable=YES
pasv_min_port=${pasvLow}
pasv_max_port=${pasvLow + 150}
port_enable=YES
connect_from_port_20=NO
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
max_clients=300
max_per_ip=100
xferlog_enable=YES
vsftpd_log_file=${join(logs, `vsftpd-${port}.log`)}
ftpd_banner=lab.test FTP service
`);
    processes.push(start(withLabUser(['vsftpd', conf]), { namespace, logFile: join(logs, `vsftpd-${port}.out`) }));
  }

  await waitForListeners(namespace, address, [PORTS.http, PORTS.httpAlt, PORTS.ssh, PORTS.sshAlt, PORTS.ftp, PORTS.ftpAlt], logs);
  return { processes, createdRunSshd };
}

/** Waits until every TCP port listens on `address` (and DNS answers), or throws with the logs' tails. */
async function waitForListeners(namespace: string, address: string, ports: readonly number[], logs: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let missing: number[] = [...ports];
  while (Date.now() < deadline) {
    const table = sh(['ss', '-ltnH'], { namespace, allowFailure: true });
    missing = ports.filter((port) => !table.includes(`${address}:${port} `));
    const udp = sh(['ss', '-lunH'], { namespace, allowFailure: true });
    if (missing.length === 0 && udp.includes(`${address}:${PORTS.dns} `)) return;
    await sleep(150);
  }
  const tails = readdirSync(logs).map((name) => `--- ${name}\n${readOr(join(logs, name), '').slice(-600)}`).join('\n');
  throw new Error(`servers did not come up in ${namespace} (ports not listening: ${missing.join(', ') || 'dns'})\n${tails}`);
}

/** Removes /run/sshd again when this run created it. */
export function releaseRunSshd(created: boolean): void {
  if (!created) return;
  try {
    rmdirSync('/run/sshd');
  } catch {
    // another sshd may have put something there; leave it
  }
}
