import { describe, expect, it } from 'vitest';
import { parseApiKeys } from './auth.js';

describe('API_KEYS', () => {
  it('is open development mode when unset or blank', () => {
    expect(parseApiKeys(undefined)).toBe('open');
    expect(parseApiKeys('  ')).toBe('open');
  });

  it('maps each key to its project and user', () => {
    const ring = parseApiKeys('k1:proj-a:alice, k2:proj-b');
    expect(ring).not.toBe('open');
    if (ring === 'open') return;
    expect(ring.get('k1')).toEqual({ projectId: 'proj-a', userId: 'alice' });
    expect(ring.get('k2')).toEqual({ projectId: 'proj-b', userId: 'proj-b-user' });
    expect(ring.get('k3')).toBeUndefined();
  });

  it.each(['k1', 'k1:', ':proj', 'k1:p:u:extra', 'k1:p,,k2:q'])('refuses %j, naming the entry', (value) => {
    expect(() => parseApiKeys(value)).toThrow(/API_KEYS entry \d+/);
  });
});
