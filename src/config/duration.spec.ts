import { MAX_DURATION_MS, parseDuration, parseTtl } from './duration';

describe('duration bounds', () => {
  it('reads up to 100 years and refuses longer, in every form', () => {
    expect(parseDuration('36500d')).toBe(MAX_DURATION_MS);
    expect(() => parseDuration('36501d')).toThrow(/longest duration accepted, 100 years/);
    expect(() => parseTtl('1822.354682s32387432993d710713791936.034039616711s')).toThrow(/100 years/);
    expect(() => parseTtl(1e300)).toThrow(/100 years/);
    expect(() => parseDuration('99999999999d')).toThrow(RangeError);
  });
});
