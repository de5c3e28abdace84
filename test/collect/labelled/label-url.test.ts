import { describe, expect, it } from 'vitest';
import {
  allowsAddress,
  allowsHost,
  parseAllowList,
} from '../../../engine/collect/labelled/address-allowlist.js';
import { expandLabelUrl, parseLabelUrlTemplate } from '../../../engine/collect/labelled/label-url.js';
import type { LabelUrlTemplate } from '../../../engine/collect/labelled/label-url.js';

const tpl = (raw: string) => parseLabelUrlTemplate(raw) as LabelUrlTemplate;
const expand = (raw: string, instance: string) => expandLabelUrl(tpl(raw), { instance });
const refused = (raw: string, instance: string) => {
  const r = expand(raw, instance);
  return 'error' in r ? r.error : `accepted ${r.url.href}`;
};

describe('go URLs built from alert labels', () => {
  it('templates: one placeholder, as the host, then only :PORT and a plain path prefix', () => {
    expect(tpl('http://{{ labels.instance }}')).toMatchObject({ label: 'instance', templatePort: false });
    expect(tpl('https://{{labels.pod_ip}}:6060/admin')).toMatchObject({
      label: 'pod_ip',
      templatePort: true,
    });
    for (const bad of [
      'http://x{{ labels.instance }}',
      'http://{{ labels.a }}{{ labels.b }}',
      'http://{{ labels.instance }}?q=1',
      'http://{{ labels.instance }}#f',
      'http://u:p@{{ labels.instance }}',
      'file://{{ labels.instance }}',
      'http://{{ labels.instance }}/{{ labels.path }}',
      'http://{{ annotations.x }}',
      'http://{{ labels.instance }}/a b',
    ]) {
      expect(typeof parseLabelUrlTemplate(bad), bad).toBe('string');
    }
  });

  it('accepts host:port, a.b.c.d:port and [v6]:port', () => {
    expect(expand('http://{{ labels.instance }}', 'checkout-0.checkout.svc:6060')).toMatchObject({
      host: 'checkout-0.checkout.svc',
      port: 6060,
    });
    expect(expand('http://{{ labels.instance }}', '10.0.4.17:6060')).toMatchObject({ host: '10.0.4.17' });
    expect(expand('http://{{ labels.instance }}', '[fd00::5]:6060')).toMatchObject({ host: 'fd00::5' });
    expect(expand('http://{{ labels.instance }}:6060/admin', '10.0.4.17')).toMatchObject({
      url: new URL('http://10.0.4.17:6060/admin'),
    });
  });

  it('refuses hostile label values before any URL is built', () => {
    const t = 'http://{{ labels.instance }}';
    for (const [value, why] of [
      ['evil@host:80', /only letters/],
      ['user:pw@10.0.0.1:80', /only letters/],
      ['host/path:80', /only letters/],
      ['host:80/path', /only letters/],
      ['host:80?x=1', /only letters/],
      ['host:80#x', /only letters/],
      ['http://host:80', /only letters/],
      ['%31%32%37.0.0.1:80', /only letters/],
      ['127.0.0.1:80\\@evil', /only letters/],
      ['2130706433:80', /canonical IPv4/],
      ['0177.0.0.1:80', /canonical IPv4/],
      ['0x7f.0.0.1:80', /canonical IPv4/],
      ['127.1:80', /canonical IPv4/],
      ['127.000.000.001:80', /canonical IPv4/],
      ['host.0x7f:80', /canonical IPv4/],
      ['::1:80', /brackets/],
      ['[::1%eth0]:80', /only letters/],
      ['host:0', /not a port/],
      ['host:99999', /not a port/],
      ['host', /no port/],
      ['-bad-.example:80', /not a host name/],
      ['', /empty/],
    ] as const) {
      expect(refused(t, value), value).toMatch(why);
    }
    expect(refused('http://{{ labels.instance }}:6060', 'host:7070')).toMatch(/already gives the port/);
    expect(expandLabelUrl(tpl(t), {})).toEqual({ error: 'the alert has no label instance' });
  });

  it('the allow list: CIDRs for addresses, host:port patterns for names; special addresses only when a CIDR names them', () => {
    const { list, problems } = parseAllowList([
      '10.0.0.0/8',
      '127.0.0.2/32',
      '*.checkout.svc:6060',
      '[fd00::5]:*',
    ]);
    expect(problems).toEqual([]);
    expect(allowsHost(list, '10.1.2.3', 1).ok).toBe(true);
    expect(allowsHost(list, '127.0.0.2', 9).ok).toBe(true);
    expect(allowsHost(list, 'fd00::5', 9).ok).toBe(true);
    for (const [host, port] of [
      ['169.254.169.254', 80],
      ['127.0.0.1', 80],
      ['::1', 80],
      ['::ffff:169.254.169.254', 80],
      ['0.0.0.0', 80],
      ['localhost', 80],
      ['a.checkout.svc', 7070],
      ['a.b.checkout.svc', 6060],
      ['checkout.svc.evil', 6060],
    ] as const) {
      expect(allowsHost(list, host, port).ok, `${host}:${port}`).toBe(false);
    }
    expect(allowsHost(list, 'a-0.checkout.svc', 6060).ok).toBe(true);
    // after DNS: with CIDRs, every address must be inside one
    expect(allowsAddress(list, 'a.checkout.svc', '10.9.9.9').ok).toBe(true);
    expect(allowsAddress(list, 'a.checkout.svc', '169.254.169.254').ok).toBe(false);
    expect(allowsAddress(list, 'a.checkout.svc', '::ffff:127.0.0.1').ok).toBe(false);
    // without CIDRs, names may resolve anywhere but to loopback, link-local, metadata…
    const names = parseAllowList(['*.internal:*']).list;
    for (const a of [
      '127.0.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      '0.0.0.0',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
    ]) {
      expect(allowsAddress(names, 'x.internal', a).ok, a).toBe(false);
    }
    expect(allowsAddress(names, 'x.internal', '10.0.0.1').ok).toBe(true);
  });

  it('refuses allow entries that allow everything or are not entries', () => {
    const { problems } = parseAllowList([
      '0.0.0.0/0',
      '::/0',
      '*:80',
      '*.*:80',
      'host',
      '10.0.0.0/33',
      'a b:1',
      '010.0.0.1:80',
    ]);
    expect(problems.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
