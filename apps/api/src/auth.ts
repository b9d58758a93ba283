import { AppError } from '@classifyd/shared';
import type { NextFunction, Request, Response } from 'express';

export interface Principal {
  projectId: string;
  userId: string;
}

/** The project of open development mode, shaped like LlamaCloud's project UUIDs. */
export const DEFAULT_PROJECT_ID = '00000000-0000-4000-8000-000000000000';
export const DEFAULT_USER_ID = 'local-user';

export type KeyRing = Map<string, Principal> | 'open';

/** Parses `key:project_id[:user_id],...`; throws with the position of a bad entry. */
export function parseApiKeys(value: string | undefined): KeyRing {
  if (value === undefined || value.trim() === '') return 'open';
  const ring = new Map<string, Principal>();
  value.split(',').forEach((entry, index) => {
    const parts = entry.trim().split(':');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.trim() === '')) {
      throw new Error(`API_KEYS entry ${index + 1} must look like key:project_id or key:project_id:user_id`);
    }
    const [key, projectId, userId] = parts.map((p) => p.trim()) as [string, string, string | undefined];
    ring.set(key, { projectId, userId: userId ?? `${projectId}-user` });
  });
  return ring;
}

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export function authenticate(ring: KeyRing) {
  return (req: Request, _res: Response, next: NextFunction) => {
    let principal: Principal | undefined;
    if (ring === 'open') {
      principal = { projectId: DEFAULT_PROJECT_ID, userId: DEFAULT_USER_ID };
    } else {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) throw new AppError('unauthorized', 'Missing API key: send Authorization: Bearer <key>');
      principal = ring.get((match[1] as string).trim());
      if (!principal) throw new AppError('unauthorized', 'Invalid API key');
    }
    const requested = req.query.project_id;
    if (typeof requested === 'string' && requested !== '' && requested !== principal.projectId) {
      throw new AppError('forbidden', `This API key has no access to project ${requested}`);
    }
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthorized', 'Missing API key');
  return req.principal;
}
