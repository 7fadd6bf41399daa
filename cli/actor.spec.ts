import { actorHeaderValue, localUserName } from './actor';

/** The name rule of the server's X-Maintenance-Actor (src/api/auth.ts ACTOR_NAME), restated as the contract. */
const SERVER_NAME_RULE = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,63}$/;

describe('actorHeaderValue', () => {
  it.each([
    ['alice', 'alice'],
    ['  bob  ', 'bob'],
    ['John Smith', 'John_Smith'],
    ['jöhn', 'j_hn'],
    ['dom\\user', 'dom_user'],
    ['a:b', 'a_b'],
    ['-dash', '_-dash'],
    ['.hidden', '_.hidden'],
    ['first.last@example.com', 'first.last@example.com'],
    ['x'.repeat(80), 'x'.repeat(64)],
  ])('%j is sent as %j, a name the server takes', (name, sent) => {
    expect(actorHeaderValue(name)).toBe(sent);
    expect(sent).toMatch(SERVER_NAME_RULE);
  });

  it('sends nothing for an empty name', () => {
    expect(actorHeaderValue('')).toBeNull();
    expect(actorHeaderValue('   ')).toBeNull();
  });
});

describe('localUserName', () => {
  it('reads the OS user, and falls back to USER when the uid has no passwd entry', () => {
    expect(localUserName(() => ({ username: 'carol' }), {})).toBe('carol');
    const noPasswd = () => {
      throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
    };
    expect(localUserName(noPasswd, { USER: 'dave' })).toBe('dave');
    expect(localUserName(noPasswd, {})).toBeNull();
  });
});
