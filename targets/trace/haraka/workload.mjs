// Haraka's outbound queue (npm Haraka, exact version in spoolcheck's package.json): a relaying
// Haraka on 127.0.0.1 whose queue_dir is $SPOOLCHECK_DIR, outbound delivery disabled (so the
// queue only fills); three messages submitted over SMTP; "queued N" printed once Haraka answered
// 250 to the message's DATA ("Message Queued"). Haraka is stopped (SIGTERM) at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bin = require.resolve('Haraka/bin/haraka');
const queue = process.env.SPOOLCHECK_DIR;
const port = 20000 + (process.pid % 20000);
const scratch = mkdtempSync(join(tmpdir(), 'haraka-cfg-'));
const cfg = join(scratch, 'haraka');
// Haraka's own default configuration (`haraka -i`), then what this workload needs.
await new Promise((resolve, reject) => spawn(process.execPath, [bin, '-i', cfg], { stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`haraka -i exited with ${code}`)))));
const put = (name, text) => writeFileSync(join(cfg, 'config', name), text);
put('smtp.ini', `listen=127.0.0.1:${port}\nnodes=0\n`);
put('plugins', 'relay\n');
put('relay.ini', '[relay]\nacl=true\n');
put('relay_acl_allow', '127.0.0.1/32\n');
put('queue_dir', `${queue}\n`);
put('outbound.ini', 'disabled=true\n');
put('me', 'spoolcheck.test\n');
put('log.ini', '[main]\nlevel=warn\n');
const haraka = spawn(process.execPath, [bin, '-c', cfg], { stdio: ['ignore', 'ignore', 'ignore'] });

const lines = [];
let waiting;
const reply = () => new Promise((resolve) => { waiting = resolve; if (lines.length > 0) resolve(); });
async function session() {
  for (let i = 0; ; i++) {
    try {
      return await new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
const s = await session();
let buf = '';
s.on('data', (b) => {
  buf += b.toString();
  let nl;
  while ((nl = buf.indexOf('\r\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 2);
    if (/^\d{3} /.test(line)) { lines.push(line); waiting?.(); }
  }
});
const expect = async (code) => {
  await reply();
  const line = lines.shift();
  if (!line.startsWith(code)) throw new Error(`expected ${code}, got ${line}`);
  return line;
};
await expect('220');
s.write('EHLO client.test\r\n');
await expect('250');
for (let n = 1; n <= 3; n++) {
  s.write('MAIL FROM:<sender@client.test>\r\n');
  await expect('250');
  s.write(`RCPT TO:<rcpt${n}@example.org>\r\n`);
  await expect('250');
  s.write('DATA\r\n');
  await expect('354');
  s.write(`Subject: m${n}\r\n\r\nbody of message ${n}\r\n.\r\n`);
  await expect('250');
  process.stdout.write(`queued ${n}\n`);
}
s.write('QUIT\r\n');
await expect('221');
s.end();
haraka.kill('SIGTERM');
await new Promise((r) => haraka.on('exit', r));
rmSync(scratch, { recursive: true, force: true });
