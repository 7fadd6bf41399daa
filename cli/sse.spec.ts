import { SseParser } from './sse';

describe('SseParser', () => {
  it('dispatches events on blank lines and skips comments', () => {
    const parser = new SseParser();
    expect(parser.push(': connected\n\nevent: activity\ndata: {"id":1}\n\n')).toEqual([{ event: 'activity', data: '{"id":1}' }]);
  });

  it('joins events split across chunks, CRLF included', () => {
    const parser = new SseParser();
    expect(parser.push('event: act')).toEqual([]);
    expect(parser.push('ivity\r')).toEqual([]);
    expect(parser.push('\ndata: a\r\ndata: b\r\n')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ event: 'activity', data: 'a\nb' }]);
  });

  it('defaults the event name to message and ignores events without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: state\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
