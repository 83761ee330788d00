import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { type AccessLevel, accessRank, type ModuleKey } from '../../shared/modules';
import { api, isApiError, setCsrfToken } from './client';
import type { SessionInfo } from './types';

const SESSION_URL = '/api/v1/auth/session';

/** The signed-in session, or null when signed out. Restores the CSRF token on page load. */
export const sessionQuery = queryOptions({
  queryKey: ['session'] as const,
  queryFn: async (): Promise<SessionInfo | null> => {
    try {
      const session = await api.get<SessionInfo>(SESSION_URL, undefined, { ignoreUnauthorized: true });
      setCsrfToken(session.csrfToken);
      return session;
    } catch (error) {
      if (isApiError(error, 401)) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 5 * 60_000,
});

/** Kept so that pages unmounting while the session ends still render with the last one. */
let lastSession: SessionInfo | undefined;

/** The current session inside the signed-in part of the app (the layout guarantees one). */
export function useSession(): SessionInfo {
  const { data } = useQuery(sessionQuery);
  if (data) lastSession = data;
  const session = data ?? lastSession;
  if (!session) throw new Error('useSession needs a signed-in session');
  return session;
}

export function useOptionalSession(): SessionInfo | null | undefined {
  return useQuery(sessionQuery).data;
}

export function levelOf(session: SessionInfo, module: ModuleKey): AccessLevel {
  return session.access[module] ?? 'none';
}

export function canRead(session: SessionInfo, module: ModuleKey): boolean {
  return accessRank(levelOf(session, module)) >= accessRank('read');
}

export function canWrite(session: SessionInfo, module: ModuleKey): boolean {
  return levelOf(session, module) === 'write';
}

export function isAdmin(session: SessionInfo): boolean {
  return session.user.role === 'admin';
}

export type LoginAnswer =
  | { status: 'authenticated'; session: SessionInfo }
  | { status: 'second_factor_required'; csrfToken: string };

export function useSessionActions() {
  const queryClient = useQueryClient();
  const accept = (session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    queryClient.setQueryData(sessionQuery.queryKey, session);
  };
  return {
    async login(email: string, password: string): Promise<LoginAnswer> {
      const answer = await api.post<LoginAnswer>(
        '/api/v1/auth/login',
        { email, password },
        { ignoreUnauthorized: true },
      );
      if (answer.status === 'authenticated') accept(answer.session);
      else setCsrfToken(answer.csrfToken);
      return answer;
    },
    async submitSecondFactor(code: string): Promise<SessionInfo> {
      const answer = await api.post<{ status: 'authenticated'; session: SessionInfo }>(
        '/api/v1/auth/login/second-factor',
        { code },
        { ignoreUnauthorized: true },
      );
      accept(answer.session);
      return answer.session;
    },
    async logout(): Promise<void> {
      try {
        await api.post('/api/v1/auth/logout', undefined, { ignoreUnauthorized: true });
      } finally {
        setCsrfToken(null);
        queryClient.clear();
        queryClient.setQueryData(sessionQuery.queryKey, null);
      }
    },
  };
}
