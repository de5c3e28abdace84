import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { terminate } from './serve-process.js';
import { until } from './until.js';

/** Debian's prometheus-alertmanager; CI installs it (.ci/run). */
export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export interface RunningAlertmanager {
  url: string;
  /** Posts one alert to Alertmanager's API (an `endsAt` in the past resolves it). */
  post(alert: object): Promise<Response>;
  /** SIGTERM, resolved once it has exited (it writes its storage on the way out: remove the dir after). */
  stop(): Promise<void>;
}

/**
 * Alertmanager with clustering off, routing every alert to memtriage's webhook with bearer auth
 * (the token read from a file, as its docs configure it); resolves once `/-/ready` answers.
 * Its config, token and storage go in `dir`.
 */
export async function startAlertmanager(
  dir: string,
  opts: { webhook: string; token: string; groupBy: readonly string[] },
): Promise<RunningAlertmanager> {
  writeFileSync(join(dir, 'token'), opts.token);
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      `route: { receiver: memtriage, group_by: [${opts.groupBy.join(', ')}], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }`,
      'receivers:',
      '  - name: memtriage',
      '    webhook_configs:',
      `      - url: ${opts.webhook}`,
      '        send_resolved: true',
      `        http_config: { authorization: { credentials_file: ${join(dir, 'token')} } }`,
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => void (await terminate(child));
  try {
    await until(
      'alertmanager ready',
      () =>
        fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      15_000,
      100,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    post: (alert) =>
      fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([alert]),
      }),
    stop,
  };
}
