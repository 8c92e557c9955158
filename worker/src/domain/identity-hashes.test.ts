import { describe, expect, it } from 'vitest';
import { addressSubject } from './identity-hashes.js';

describe('addressSubject', () => {
  it('counts an IPv4 address as itself', () => {
    expect(addressSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(addressSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const network = '2001:db8:a:b::/64';
    for (const address of [
      '2001:db8:a:b::1',
      '2001:0DB8:000a:000b:ffff:ffff:ffff:ffff',
      '2001:db8:a:b:1:2:3:4',
      '2001:db8:a:b::1%eth0',
    ]) {
      expect(addressSubject(address)).toBe(network);
    }
    expect(addressSubject('2001:db8::a:b:c')).toBe('2001:db8:0:0::/64');
    expect(addressSubject('2001:db8::1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(addressSubject('::1')).toBe('0:0:0:0::/64');
    expect(addressSubject('2001:db8:a:c::1')).not.toBe(network);
  });
});
