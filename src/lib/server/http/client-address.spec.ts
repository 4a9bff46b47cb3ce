import { describe, expect, it } from 'vitest';
import { addressKey, readClientAddress, UNKNOWN_ADDRESS } from './client-address';

describe('the key of a client address (sign-in brake, enrollment limits)', () => {
	it('is an IPv4 address itself, however it is written', () => {
		expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
	});

	it('is the /64 network of an IPv6 address', () => {
		const key = addressKey('2001:db8:1:2::1');
		expect(key).toBe('2001:db8:1:2::/64');
		for (const same of [
			'2001:db8:1:2:ffff:ffff:ffff:ffff',
			'2001:0DB8:0001:0002:0:0:0:9',
			'2001:db8:1:2::1%eth0'
		]) {
			expect(addressKey(same)).toBe(key);
		}
		expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		expect(addressKey('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
		expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
		expect(addressKey('::')).toBe('0:0:0:0::/64');
	});

	it('is one shared key for anything that is not an address', () => {
		for (const junk of ['', 'localhost', '203.0.113.256', 'x'.repeat(10_000), '1.2.3.4, 5.6.7.8']) {
			expect(addressKey(junk)).toBe(UNKNOWN_ADDRESS);
		}
		for (const missing of [undefined, '']) {
			expect(addressKey(missing)).toBe(UNKNOWN_ADDRESS);
		}
	});

	it('is read as unknown when the adapter cannot tell the address', () => {
		expect(readClientAddress(() => '192.0.2.1')).toBe('192.0.2.1');
		expect(
			readClientAddress(() => {
				throw new Error('Address header was specified with ADDRESS_HEADER=x-forwarded-for but is absent');
			})
		).toBe(UNKNOWN_ADDRESS);
	});
});
