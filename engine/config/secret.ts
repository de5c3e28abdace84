import { inspect } from 'node:util';

const REDACTED = '<secret>';

/**
 * A credential from the config (`${SLACK_TOKEN}`). It prints as `<secret>` everywhere a value can
 * leak — JSON.stringify (pino logs, /debug dumps), String(), util.inspect (console.log, test
 * diffs) — and only `reveal()` hands out the value, at the one place that sends it. Prometheus'
 * `commoncfg.Secret` does the same for Alertmanager's config.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
