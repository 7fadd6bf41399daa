import { createHash } from 'node:crypto';
import { secretDigest } from './api-tokens';

describe('secretDigest', () => {
  it('is the SHA-256 of the secret as UTF-8, as createHash gives it', () => {
    for (const secret of ['', 'bench-viewer-secret', 'sécrèt-ünïcode-✓', 'x'.repeat(10_000)]) {
      expect(secretDigest(secret).equals(createHash('sha256').update(secret, 'utf8').digest())).toBe(true);
    }
  });
});
