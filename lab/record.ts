/**
 * Records one scenario: build the namespaces, start the servers, start tcpdump on the bridge
 * (or on loopback), run the benign clients, run the attack between two wall-clock stamps, stop
 * everything, then write `<scenario>.pcap.gz`, `<scenario>.truth.json` and
 * `<scenario>.attack.log` (the attack tools' own output, as evidence the attack happened).
 *
 * The stamps come from the same clock tcpdump stamps packets with (the namespaces share the
 * machine's clock), taken right before the first attack tool starts and right after the last
 * one ends.
 */
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { runClient, type ClientSpec, type RunningClient } from './benign.ts';
import {
  BRIDGE,
  LAN_ATTACKER,
  LAN_CLIENTS,
  LAN_SERVER,
  LOOPBACK_ATTACKER,
  LOOPBACK_CLIENTS,
  LOOPBACK_NS,
  LOOPBACK_SERVER,
  SNAP_LENGTH,
  SWITCH_NS,
} from './labConfig.ts';
import { exited, sleep, start, stop } from './proc.ts';
import { clientMixes, type Scenario } from './scenarios.ts';
import type { LabTruth } from '../lib/model/train/labTruth.ts';
import { startServers } from './servers.ts';
import { build } from './topology.ts';
import { writeWordlist } from './wordlists.ts';

/** The contract's ground truth for one capture (lib/model/train/labTruth.ts has its schema). */
export type Truth = LabTruth & { durationSeconds: number };

/** Microseconds since the epoch, on the clock tcpdump uses. */
export const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

const USERS_FOR_BRUTE_FORCE = ['root', 'admin', 'labuser', 'ubuntu', 'test'];

export interface RecordResult {
  truth: Truth;
  pcapGz: string;
  /** tcpdump's own summary lines (captured / received / dropped). */
  tcpdumpSummary: string;
  attackExitCodes: number[];
  benignActions: number;
}

export interface RecordHooks {
  /** Called with the server processes so cleanup can find them; the runner also tracks them. */
  onServersStarted?: (createdRunSshd: boolean) => void;
  log: (line: string) => void;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Records `scenario` into `outDir`, using `workDir` for configs and the raw capture. */
export async function recordScenario(scenario: Scenario, workDir: string, outDir: string, hooks: RecordHooks): Promise<RecordResult> {
  const lan = scenario.network === 'lan';
  const serverNs = lan ? LAN_SERVER.namespace : LOOPBACK_NS;
  const serverAddress = lan ? LAN_SERVER.address : LOOPBACK_SERVER;
  const attackerNs = lan ? LAN_ATTACKER.namespace : LOOPBACK_NS;
  const captureNs = lan ? SWITCH_NS : LOOPBACK_NS;
  const captureIf = lan ? BRIDGE : 'lo';

  // The lab user (uid 4242) of the SSH and FTP servers must be able to walk into its home below here.
  chmodSync(workDir, 0o755);
  hooks.log(`building the ${scenario.network} namespaces`);
  build(scenario.network);
  const servers = await startServers(serverNs, serverAddress, join(workDir, 'srv'));
  hooks.onServersStarted?.(servers.createdRunSshd);
  hooks.log('servers listening');

  // Attack working folder: wordlists, hydra's restore file, the tools' output.
  const attackDir = join(workDir, 'attack');
  mkdirSync(attackDir, { recursive: true });
  for (const [name, [count, seed]] of Object.entries(scenario.attack?.wordlists ?? {})) {
    if (name === 'users.txt') writeFileSync(join(attackDir, name), `${USERS_FOR_BRUTE_FORCE.join('\n')}\n`);
    else writeWordlist(join(attackDir, name), count, seed);
  }

  // --- capture ------------------------------------------------------------------------------
  const rawPcap = join(workDir, `${scenario.name}.pcap`);
  const tcpdumpLog = join(workDir, 'tcpdump.log');
  const tcpdump = start(['tcpdump', '-n', '-i', captureIf, '-s', String(SNAP_LENGTH), '-B', '16384', '-Z', 'root', '-w', rawPcap], {
    namespace: captureNs,
    logFile: tcpdumpLog,
  });
  const listenDeadline = Date.now() + 10_000;
  while (!(existsSync(tcpdumpLog) && readFileSync(tcpdumpLog, 'utf8').includes('listening on'))) {
    if (Date.now() > listenDeadline || tcpdump.exitCode !== null) throw new Error(`tcpdump did not start: ${readFileSync(tcpdumpLog, 'utf8')}`);
    await sleep(50);
  }
  const captureStartUs = nowUs();
  hooks.log(`capturing on ${captureNs}/${captureIf}`);

  // --- benign clients -----------------------------------------------------------------------
  const mixes = clientMixes(scenario);
  const specs: ClientSpec[] = lan
    ? LAN_CLIENTS.slice(0, mixes.length).map((host, index) => ({
        namespace: host.namespace, source: host.address, bindSource: false, mix: mixes[index]!, seed: scenario.seed * 1000 + index, server: serverAddress,
      }))
    : LOOPBACK_CLIENTS.slice(0, mixes.length).map((address, index) => ({
        namespace: LOOPBACK_NS, source: address, bindSource: true, mix: mixes[index]!, seed: scenario.seed * 1000 + index, server: serverAddress,
      }));
  const clients: RunningClient[] = specs.map(runClient);

  await sleep(scenario.leadSeconds * 1000);

  // --- attack -----------------------------------------------------------------------------------
  let attackStartUs: number | null = null;
  let attackEndUs: number | null = null;
  const commands: string[] = [];
  const attackExitCodes: number[] = [];
  const attackLog = join(attackDir, 'attack.log');
  if (scenario.attack) {
    const argvs = scenario.attack.commands({ server: serverAddress });
    hooks.log(`attack: ${argvs.map((argv) => argv.join(' ')).join(' ; ')}`);
    attackStartUs = nowUs();
    for (const argv of argvs) {
      commands.push(argv.map(shellQuote).join(' '));
      writeFileSync(attackLog, `$ ${argv.map(shellQuote).join(' ')}\n`, { flag: 'a' });
      const tool = start(['timeout', '-s', 'INT', '-k', '5', String(scenario.attack.boundSeconds), ...argv], {
        namespace: attackerNs, cwd: attackDir, logFile: attackLog,
      });
      attackExitCodes.push(await exited(tool));
    }
    attackEndUs = nowUs();
    hooks.log(`attack done in ${((attackEndUs - attackStartUs) / 1e6).toFixed(1)} s (exit ${attackExitCodes.join(',')})`);
    await sleep(scenario.tailSeconds * 1000);
  }

  // --- stop: clients, then the capture, then the servers ----------------------------------------
  await Promise.all(clients.map((client) => client.stop()));
  const benignActions = clients.reduce((sum, client) => sum + client.actions, 0);
  await sleep(1000);
  const captureEndUs = nowUs();
  await stop(tcpdump, 'SIGINT', 5000);
  for (const server of servers.processes) await stop(server, 'SIGTERM', 2000);
  const tcpdumpSummary = readFileSync(tcpdumpLog, 'utf8').split('\n').filter((line) => /packets? (captured|received|dropped)/.test(line)).join('; ');

  // --- write the outputs (capture first, truth last: a truth file means a complete pair) ------
  mkdirSync(outDir, { recursive: true });
  const pcapGz = join(outDir, `${scenario.name}.pcap.gz`);
  await pipeline(createReadStream(rawPcap), createGzip({ level: 9 }), createWriteStream(`${pcapGz}.partial`));
  renameSync(`${pcapGz}.partial`, pcapGz);
  rmSync(rawPcap, { force: true });
  if (scenario.attack) {
    // Without the terminal colour codes slowhttptest and others print.
    const text = readFileSync(attackLog, 'utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const capped = text.length > 65536 ? `${text.slice(0, 32768)}\n[... ${text.length - 65536} bytes cut ...]\n${text.slice(-32768)}` : text;
    writeFileSync(join(outDir, `${scenario.name}.attack.log`), capped);
  }
  const truth: Truth = {
    scenario: scenario.name,
    split: scenario.split,
    network: scenario.network,
    description: scenario.description,
    family: scenario.family,
    attackers: scenario.attack ? [lan ? LAN_ATTACKER.address : LOOPBACK_ATTACKER] : [],
    spoofedSources: scenario.attack?.spoofedSources ?? false,
    victims: [serverAddress],
    benignHosts: specs.map((spec) => spec.source),
    attackStartUs,
    attackEndUs,
    commands,
    durationSeconds: Math.round((captureEndUs - captureStartUs) / 1e6),
  };
  writeFileSync(join(outDir, `${scenario.name}.truth.json`), `${JSON.stringify(truth, null, 2)}\n`);
  return { truth, pcapGz, tcpdumpSummary, attackExitCodes, benignActions };
}
