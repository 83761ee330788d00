import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

export interface ApiToken {
  id: string;
  name: string;
  tokenPrefix: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

export interface ActiveSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

const keys = {
  twoFactor: ['me', 'two-factor'] as const,
  tokens: ['me', 'api-tokens'] as const,
  sessions: ['me', 'sessions'] as const,
};

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post('/api/v1/me/password', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useTwoFactorStatus() {
  return useQuery({
    queryKey: keys.twoFactor,
    queryFn: ({ signal }) => api.get<TwoFactorStatus>('/api/v1/me/two-factor', undefined, { signal }),
  });
}

export function useTwoFactorActions() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.twoFactor });
  return {
    setup: useMutation({ mutationFn: () => api.post<TwoFactorSetup>('/api/v1/me/two-factor/setup') }),
    confirm: useMutation({
      mutationFn: (code: string) =>
        api.post<{ recoveryCodes: string[] }>('/api/v1/me/two-factor/confirm', { code }),
      onSuccess: refresh,
    }),
    disable: useMutation({
      mutationFn: (password: string) => api.post('/api/v1/me/two-factor/disable', { password }),
      onSuccess: refresh,
    }),
    regenerateCodes: useMutation({
      mutationFn: (password: string) =>
        api.post<{ recoveryCodes: string[] }>('/api/v1/me/two-factor/recovery-codes', { password }),
      onSuccess: refresh,
    }),
  };
}

export function useApiTokens() {
  return useQuery({
    queryKey: keys.tokens,
    queryFn: ({ signal }) => api.get<{ data: ApiToken[] }>('/api/v1/me/api-tokens', undefined, { signal }),
    select: (answer) => answer.data,
  });
}

export function useApiTokenActions() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.tokens });
  return {
    create: useMutation({
      mutationFn: (body: { name: string; expiresInDays: number }) =>
        api.post<ApiToken & { token: string }>('/api/v1/me/api-tokens', body),
      onSuccess: refresh,
    }),
    revoke: useMutation({
      mutationFn: (id: string) => api.delete(`/api/v1/me/api-tokens/${id}`),
      onSuccess: refresh,
    }),
  };
}

export function useSessions() {
  return useQuery({
    queryKey: keys.sessions,
    queryFn: ({ signal }) => api.get<{ data: ActiveSession[] }>('/api/v1/me/sessions', undefined, { signal }),
    select: (answer) => answer.data,
  });
}

export function useSessionRevocation() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.sessions });
  return {
    revoke: useMutation({
      mutationFn: (id: string) => api.delete(`/api/v1/me/sessions/${id}`),
      onSuccess: refresh,
    }),
    revokeOthers: useMutation({
      mutationFn: () => api.post<{ revoked: number }>('/api/v1/me/sessions/revoke-others'),
      onSuccess: refresh,
    }),
  };
}
