import { describe, expect, it } from 'vitest';
import { allowsAddress, parseAllowList } from '../../../engine/collect/labelled/address-allowlist.js';
import { pinnedFetch, type LookupAll } from '../../../engine/collect/labelled/pinned-fetch.js';

/**
 * Without a CIDR entry, a name matching a host:port pattern may resolve anywhere but to the
 * special-purpose addresses. Two ways to the cloud metadata service were missing from that set:
 * Alibaba Cloud's metadata address (100.100.100.200), and any special IPv4 address written in the
 * NAT64 well-known prefix (64:ff9b::169.254.169.254), which a node-local NAT64 translator
 * (IPv6-only clusters) forwards to the IPv4 address it embeds.
 */
const names = parseAllowList(['*.checkout.svc:*']).list;

describe('allow list without CIDRs: special-purpose addresses a name may not resolve to', () => {
  for (const address of [
    '100.100.100.200',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    '64:ff9b::7f00:1',
    '64:ff9b::',
  ]) {
    it(`refuses ${address}`, () => {
      expect(allowsAddress(names, 'a.checkout.svc', address).ok).toBe(false);
    });
  }

  it('still allows ordinary addresses, NAT64 ones included', () => {
    for (const address of ['10.0.0.1', '100.100.100.201', '64:ff9b::a00:1', '2001:db8::1', 'fd00::5']) {
      expect(allowsAddress(names, 'a.checkout.svc', address).ok, address).toBe(true);
    }
  });

  it('pinnedFetch refuses the request before connecting when a name resolves to one of them', async () => {
    const lookup: LookupAll = async () => [
      { address: '10.0.0.7', family: 4 },
      { address: '64:ff9b::a9fe:a9fe', family: 6 },
    ];
    const lookupFirst: LookupAll = async () => [{ address: '64:ff9b::a9fe:a9fe', family: 6 }];
    for (const l of [lookup, lookupFirst]) {
      const err = await pinnedFetch(names, l)('http://a.checkout.svc:80/latest/meta-data/', {
        signal: AbortSignal.timeout(2000),
      }).catch((e: unknown) => e);
      expect((err as { cause?: { code?: string } }).cause?.code).toBe('MT_REFUSED');
    }
  });
});
