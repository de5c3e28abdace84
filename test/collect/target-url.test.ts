import { describe, expect, it } from 'vitest';
import { InputError } from '../../engine/errors.js';
import { endpointUrl, parseTargetUrl } from '../../engine/collect/target-url.js';

function codeOf(raw: string): string | undefined {
  try {
    parseTargetUrl(raw);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).code;
  }
}

describe('parseTargetUrl', () => {
  it('accepts http and https with an explicit port, IPv6 included', () => {
    expect(parseTargetUrl('http://127.0.0.1:6060').href).toBe('http://127.0.0.1:6060/');
    expect(parseTargetUrl('https://orders-api.internal:8443/').host).toBe('orders-api.internal:8443');
    expect(parseTargetUrl('http://[::1]:6060').hostname).toBe('[::1]');
    // :80 written out is kept as a valid target even though URL hides the default port.
    expect(parseTargetUrl('http://svc:80').href).toBe('http://svc/');
  });

  it('keeps a path prefix and appends endpoints under it', () => {
    const base = parseTargetUrl('http://svc:6060/admin/');
    expect(endpointUrl(base, '/debug/vars').href).toBe('http://svc:6060/admin/debug/vars');
    expect(endpointUrl(base, '/debug/pprof/heap', '?debug=1').href).toBe(
      'http://svc:6060/admin/debug/pprof/heap?debug=1',
    );
    expect(endpointUrl(parseTargetUrl('http://svc:6060'), '/metrics').href).toBe('http://svc:6060/metrics');
  });

  it('refuses everything else with MT_ERR_COLLECT_TARGET_INVALID', () => {
    for (const raw of [
      'localhost:6060',
      '127.0.0.1:6060',
      'http://svc',
      'http://svc/',
      'ftp://svc:21',
      'file:///etc/passwd',
      'http://user:pw@svc:6060',
      'http://svc:6060/?x=1',
      'http://svc:6060/#frag',
      'http://svc:0',
      'http://svc:99999',
      '',
      'http://:6060',
    ]) {
      expect(codeOf(raw), raw).toBe('MT_ERR_COLLECT_TARGET_INVALID');
    }
  });

  it('names the bad value in the message', () => {
    expect(() => parseTargetUrl('http://svc')).toThrow(/--target "http:\/\/svc": the port is required/);
  });
});
