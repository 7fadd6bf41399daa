import { Http1ProtocolError, Http1ResponseReader, type Http1Response } from './http1-response';

/** Feeds `text` split at the given offsets (every byte on its own when 'bytes'); then the close, when asked. */
function read(text: string, split: 'whole' | 'bytes' | number[] = 'whole', closeAfter = false, maxBody = 1024): Http1Response | null {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new Http1ResponseReader(maxBody);
  const cuts = split === 'whole' ? [] : split === 'bytes' ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) : split;
  let from = 0;
  // Each read lands in one reused buffer with stale bytes after it, as the socket's shared read buffer does.
  const buffer = Buffer.alloc(bytes.length + 8, '\r\n');
  for (const cut of [...cuts, bytes.length]) {
    bytes.copy(buffer, 0, from, cut);
    buffer.write('\r\n\r\n', cut - from);
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
    ['five interim answers', `${'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n'.repeat(5)}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`, { status: 200, body: '{}', reusable: true }],
    ['obs-text and tabs in values', 'HTTP/1.1 200 Ok\tfine\r\nX-Name: caf\xe9\tbar\r\nContent-Length: 2\r\n\r\n{}', { status: 200, body: '{}', reusable: true }],
    ['a body of exactly the cap', `HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n${'b'.repeat(1024)}`, { status: 200, body: 'b'.repeat(1024), reusable: true }],
    ['Connection tokens in a list', 'HTTP/1.1 200 OK\r\nConnection: Upgrade , close\r\nContent-Length: 0\r\n\r\n', { status: 200, body: '', reusable: false }],
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

  it('refuses a body over the cap, however it is framed and however it arrives', () => {
    const big = 'a'.repeat(5000);
    const cases = [
      `HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${big}`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'3e8\r\n'.concat('a'.repeat(1000), '\r\n').repeat(5)}0\r\n\r\n`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n${big}\r\n0\r\n\r\n`,
      `HTTP/1.0 200 OK\r\n\r\n${big}`,
    ];
    for (const text of cases) {
      expect(() => read(text, 'whole', true, 1000)).toThrow('the body exceeds 1000 bytes');
      expect(() => read(text, [60, 700, 1500, 2100], true, 1000)).toThrow('the body exceeds 1000 bytes');
    }
  });

  it('refuses a head over 16 KiB whether it comes in one read, in pieces, or byte by byte', () => {
    const huge = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(60_000)}\r\nContent-Length: 2\r\n\r\n{}`;
    expect(() => read(huge)).toThrow('exceed 16 KiB');
    expect(() => read(huge, [1000, 9000, 17000, 40000])).toThrow('exceed 16 KiB');
    // Right at the limit: 16 KiB with the empty line is accepted, one byte more is not.
    const head = (size: number) => `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Fill: ${'f'.repeat(size - 48)}\r\n\r\n{}`;
    expect(Buffer.byteLength(head(16 * 1024)) - 2).toBe(16 * 1024);
    expect(read(head(16 * 1024), [5000, 16383])).toMatchObject({ status: 200, body: '{}' });
    expect(() => read(head(16 * 1024 + 1))).toThrow('exceed 16 KiB');
    expect(() => read(head(16 * 1024 + 1), [5000, 16384])).toThrow('exceed 16 KiB');
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
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', /more than one Content-Length/],
    ['two equal Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}', /more than one Content-Length/],
    ['a transfer coding other than chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', /Transfer-Encoding "gzip, chunked"/],
    ['chunked twice', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /Transfer-Encoding/],
    ['chunked on HTTP/1.0', 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /Transfer-Encoding/],
    ['chunked with a Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', /both Content-Length and Transfer-Encoding/],
    ['whitespace before a colon', 'HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}', /whitespace before the colon/],
    ['a tab before a colon', 'HTTP/1.1 200 OK\r\nX-A\t: 1\r\nContent-Length: 2\r\n\r\n{}', /whitespace before the colon/],
    ['a folded line', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  more\r\nContent-Length: 2\r\n\r\n{}', /whitespace before the colon/],
    ['a NUL in a value', 'HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 2\r\n\r\n{}', /control character \(0x00\) in a header field/],
    ['a NUL in a name', 'HTTP/1.1 200 OK\r\nX\x00A: b\r\nContent-Length: 2\r\n\r\n{}', /control character \(0x00\) in a header field name/],
    ['a DEL in a value', 'HTTP/1.1 200 OK\r\nX-A: a\x7f\r\nContent-Length: 2\r\n\r\n{}', /control character \(0x7f\)/],
    ['a bare LF in a value', 'HTTP/1.1 200 OK\r\nX-A: a\nContent-Length: 99\r\nContent-Length: 2\r\n\r\n{}', /control character \(0x0a\)/],
    ['a bare CR', 'HTTP/1.1 200 OK\r\nX-A: a\rB: c\r\nContent-Length: 2\r\n\r\n{}', /bare CR/],
    ['a control character in the reason', 'HTTP/1.1 200 O\x01K\r\nContent-Length: 2\r\n\r\n{}', /control character \(0x01\) in the status line/],
    ['a status below 100', 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\n{}', /status line "HTTP\/1.1 099 Odd"/],
    ['six interim answers', `${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(6)}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`, /more than 5 interim/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size "zz"/],
    ['a negative chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n', /chunk size "-1"/],
    ['a 0x chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n', /chunk size "0x2"/],
    ['blanks after a chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\n{}\r\n0\r\n\r\n', /chunk size "2 "/],
    ['a huge chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n', /more than 8 hex digits/],
    ['a chunk over the body cap', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n', /body exceeds 1024 bytes/],
    ['an empty chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\n{}\r\n0\r\n\r\n', /not a token/],
    ['a NUL in a chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a="\x00"\r\n{}\r\n0\r\n\r\n', /bad quoted string/],
    ['a NUL in a trailer', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: \x00\r\n\r\n', /control character \(0x00\)/],
    ['whitespace before a trailer colon', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T : 1\r\n\r\n', /whitespace before the colon/],
    ['trailers over 16 KiB', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n${'X-T: ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt\r\n'.repeat(300)}\r\n`, /trailer fields exceed 16 KiB/],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n', /does not end with CRLF/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', /header line "broken"/],
    ['an unasked upgrade', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
    ['a head over 16 KiB, not yet ended', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17_000)}`, /exceed 16 KiB/],
  ];

  it('quotes no header value in its reasons (they reach the API and the activity log)', () => {
    for (const text of ['HTTP/1.1 200 OK\r\nX-Env : DB_PASSWORD=hunter2\r\n\r\n', 'HTTP/1.1 200 OK\r\nX-Env=DB_PASSWORD=hunter2\r\n\r\n', 'HTTP/1.1 200 OK\r\nX-Env: hunter2\x00\r\n\r\n']) {
      expect(() => read(text)).toThrow(Http1ProtocolError);
      expect(() => read(text)).not.toThrow(/hunter2/);
    }
  });

  it.each(invalid)('refuses %s, in one read or byte by byte', (_name, text, message) => {
    expect(() => read(text, 'whole', true)).toThrow(Http1ProtocolError);
    expect(() => read(text, 'whole', true)).toThrow(message);
    expect(() => read(text, 'bytes', true)).toThrow(message);
  });
});

describe('Http1ResponseReader on the per-call path (counts, not times: 10,000 scenarios call through here)', () => {
  /** Counts regex runs and buffer allocations while `work` runs; the spies call through to the real functions. */
  function counted(work: () => void): { regex: number; allocations: number; concats: number } {
    const regex = jest.spyOn(RegExp.prototype, 'exec');
    const allocations = [jest.spyOn(Buffer, 'alloc'), jest.spyOn(Buffer, 'allocUnsafe'), jest.spyOn(Buffer, 'from')];
    const concats = jest.spyOn(Buffer, 'concat');
    try {
      work();
      return { regex: regex.mock.calls.length, allocations: allocations.reduce((sum, spy) => sum + spy.mock.calls.length, 0), concats: concats.mock.calls.length };
    } finally {
      jest.restoreAllMocks();
    }
  }

  const typical = Buffer.from(
    `HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${length}\r\nDate: Mon, 07 Dec 2026 20:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Powered-By: Express\r\nETag: W/"29-abc"\r\n\r\n${json}`,
  );

  it('reads a typical answer in one read without a regex or a buffer allocation', () => {
    let response: Http1Response | null = null;
    expect(counted(() => (response = new Http1ResponseReader(64 * 1024).feed(typical)))).toEqual({ regex: 0, allocations: 0, concats: 0 });
    expect(response).toEqual({ status: 200, body: json, reusable: true });
  });

  it('reads a chunked answer with one copy per chunk and one join, and no regex', () => {
    const chunked = Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"mai\r\n${(length - 5).toString(16)}\r\n${json.slice(5)}\r\n0\r\n\r\n`);
    expect(counted(() => new Http1ResponseReader(64 * 1024).feed(chunked))).toEqual({ regex: 0, allocations: 3, concats: 1 });
  });

  it('gathers a head that trickles in byte by byte with a few doublings, not a copy per byte', () => {
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nX-Fill: ${'f'.repeat(16_000)}\r\nContent-Length: 2\r\n\r\n{}`);
    const reader = new Http1ResponseReader(64 * 1024);
    let response: Http1Response | null = null;
    const counts = counted(() => {
      for (let at = 0; at < head.length - 2; at++) reader.feed(head, at, at + 1);
      response = reader.feed(head, head.length - 2, head.length);
    });
    expect(response).toMatchObject({ status: 200, body: '{}' });
    expect(counts.regex).toBe(0);
    expect(counts.concats).toBe(0);
    expect(counts.allocations).toBeLessThanOrEqual(8);
  });
});
