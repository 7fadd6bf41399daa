import { Http1ProtocolError, Http1ResponseReader, type Http1Response } from './http1-response';

/** Feeds `text` split at the given offsets (every byte on its own when 'bytes'); then the close, when asked. */
function read(text: string, split: 'whole' | 'bytes' | number[] = 'whole', closeAfter = false, maxBody = 1024): Http1Response | null {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new Http1ResponseReader(maxBody);
  const cuts = split === 'whole' ? [] : split === 'bytes' ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) : split;
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Each read lands in a reused buffer with stale bytes after it, as the socket's shared read buffer does.
    const buffer = Buffer.alloc(bytes.length + 8, 'x');
    bytes.copy(buffer, 0, from, cut);
    const response = reader.feed(buffer, 0, cut - from);
    from = cut;
    if (response) return response;
  }
  return closeAfter ? reader.end() : null;
}

const json = '{"maintenanceState":"active","note":"é✓"}';
const length = Buffer.byteLength(json);

describe('Http1ResponseReader', () => {
  const cases: [string, string, Http1Response][] = [
    ['Content-Length', `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${json}`, { status: 200, body: json, reusable: true }],
    ['field names in any case, blanks around values', `HTTP/1.1 200 OK\r\nCONTENT-length:   2  \r\nconnection:\tClose\r\n\r\n{}`, { status: 200, body: '{}', reusable: false }],
    ['no reason phrase', `HTTP/1.1 404\r\ncontent-length: 2\r\n\r\nno`, { status: 404, body: 'no', reusable: true }],
    ['empty body', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', { status: 200, body: '', reusable: true }],
    ['204 has no body whatever its fields say', 'HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n', { status: 204, body: '', reusable: true }],
    [
      'chunked, with an extension and a trailer',
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{"mai\r\n${(length - 5).toString(16)}\r\n${json.slice(5)}\r\n0\r\nX-Trailer: yes\r\n\r\n`,
      { status: 200, body: json, reusable: true },
    ],
    ['Connection: close', `HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 4\r\n\r\nboom`, { status: 500, body: 'boom', reusable: false }],
    ['HTTP/1.0 keep-alive', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}', { status: 200, body: '{}', reusable: true }],
    ['a 100 Continue before the answer', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}', { status: 200, body: '{}', reusable: true }],
    ['chunked wins over Content-Length, and ends reuse', 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', { status: 200, body: '{}', reusable: false }],
  ];

  it.each(cases)('reads %s, in one read or byte by byte', (_name, text, expected) => {
    expect(read(text)).toEqual(expected);
    expect(read(text, 'bytes')).toEqual(expected);
  });

  it('reads a body that runs until the close (HTTP/1.0 without length)', () => {
    const text = `HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${json}`;
    expect(read(text)).toBeNull();
    expect(read(text, [10, 40], true)).toEqual({ status: 200, body: json, reusable: false });
  });

  it('reports a response cut short by the close as nothing', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"', 'whole', true)).toBeNull();
    expect(read('HTTP/1.1 200 OK\r\nContent-', 'whole', true)).toBeNull();
  });

  it('keeps the body up to the cap and reads the rest', () => {
    const big = 'a'.repeat(5000);
    expect(read(`HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${big}`, [100, 2000], false, 1000)).toEqual({ status: 200, body: big.slice(0, 1000), reusable: true });
  });

  it('marks the connection out of step when more bytes follow the response', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n')).toEqual({ status: 200, body: '{}', reusable: false });
  });

  it('tells when a response has started (a reused connection that closes before that may be retried)', () => {
    const reader = new Http1ResponseReader(100);
    expect(reader.started).toBe(false);
    reader.feed(Buffer.from('HTTP/1.1 2'));
    expect(reader.started).toBe(true);
  });

  const invalid: [string, string, RegExp][] = [
    ['not HTTP', 'SSH-2.0-OpenSSH_9.2\r\n\r\n', /status line "SSH-2.0/],
    ['another HTTP version', 'HTTP/2 200 OK\r\n\r\n', /status line "HTTP\/2 200 OK"/],
    ['a short status code', 'HTTP/1.1 20\r\n\r\n', /status line "HTTP\/1.1 20"/],
    ['an empty Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n', /Content-Length ""/],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', /Content-Length "1x"/],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /two different Content-Length/],
    ['a transfer coding other than chunked last', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /does not end in chunked/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size "zz"/],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n', /does not end with CRLF/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', /header line "broken"/],
    ['an unasked upgrade', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
    ['a head over 16 KiB', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17_000)}`, /exceed 16 KiB/],
  ];

  it.each(invalid)('refuses %s', (_name, text, message) => {
    expect(() => read(text)).toThrow(Http1ProtocolError);
    expect(() => read(text)).toThrow(message);
    expect(() => read(text, 'bytes')).toThrow(message);
  });
});
