import { mayFollow } from '../../nodes/Blocks/transport/download';

const BLOCKS = 'https://api.blocks.team';
const EMULATOR = 'http://127.0.0.1:4010';

describe('which artifact download links are followed', () => {
	test.each([
		['https storage, Blocks Base URL', 'https://storage.example.com/a?sig=1', BLOCKS, true],
		['https storage, emulator Base URL', 'https://storage.example.com/a', EMULATOR, true],
		['http loopback, emulator Base URL', 'http://127.0.0.1:5000/a', EMULATOR, true],
		['http localhost, localhost Base URL', 'http://localhost:5000/a', 'http://localhost:1', true],
		['http IPv6 loopback, emulator Base URL', 'http://[::1]:5000/a', EMULATOR, true],
		['http loopback, Blocks Base URL', 'http://127.0.0.1:5000/a', BLOCKS, false],
		['http remote, emulator Base URL', 'http://storage.example.com/a', EMULATOR, false],
		['http remote, Blocks Base URL', 'http://storage.example.com/a', BLOCKS, false],
		['http look-alike host, emulator Base URL', 'http://127.0.0.1.example.com/a', EMULATOR, false],
		['ftp loopback, emulator Base URL', 'ftp://127.0.0.1/a', EMULATOR, false],
		['file URL, emulator Base URL', 'file:///etc/passwd', EMULATOR, false],
	])('%s', (_case, link, baseUrl, followed) => {
		expect(mayFollow(new URL(link), baseUrl)).toBe(followed);
	});
});
