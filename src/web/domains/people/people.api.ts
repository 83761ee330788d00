import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccessLevel, ModuleKey } from '../../../shared/modules';
import { api } from '../../api/client';
import { recordUrl, resourceKeys } from '../../api/resources';
import { groupResource, userResource } from './people.resources';

export type AccessMatrix = Partial<Record<ModuleKey, AccessLevel>>;

export interface GroupMember {
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  isArchived: boolean;
}

export interface LoginStatus {
  loginEnabled: boolean;
  hasPassword: boolean;
  passwordChangedAt: string | null;
  twoFactorEnabled: boolean;
  lockedUntil: string | null;
  knownIps: { ip: string; firstSeenAt: string; lastSeenAt: string }[];
}

export interface OrgChartNode {
  id: string;
  name: string;
  email: string;
  jobTitle: string | null;
  department: string | null;
  children: OrgChartNode[];
}

export function useUserGroups(userId: string) {
  return useQuery({
    queryKey: resourceKeys.part(userResource, userId, 'groups'),
    queryFn: ({ signal }) =>
      api.get<{ data: { id: string; name: string }[] }>(
        `${recordUrl(userResource, userId)}/groups`,
        undefined,
        {
          signal,
        },
      ),
    select: (answer) => answer.data,
  });
}

export function useUserLogin(userId: string, enabled: boolean) {
  return useQuery({
    queryKey: resourceKeys.part(userResource, userId, 'login'),
    queryFn: ({ signal }) =>
      api.get<LoginStatus>(`${recordUrl(userResource, userId)}/login`, undefined, { signal }),
    enabled,
  });
}

/** Administrator actions on someone's account; each refreshes the login status. */
export function useAccountAction<TBody = void>(
  userId: string,
  action: 'password' | 'two-factor/reset' | 'unlock',
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => api.post(`${recordUrl(userResource, userId)}/${action}`, body ?? undefined),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: resourceKeys.part(userResource, userId, 'login') }),
  });
}

const grantsKey = (principalType: 'user' | 'group', id: string) =>
  ['access-grants', principalType, id] as const;

export function useAccessGrants(principalType: 'user' | 'group', id: string) {
  return useQuery({
    queryKey: grantsKey(principalType, id),
    queryFn: ({ signal }) =>
      api.get<{ grants: AccessMatrix; effective?: AccessMatrix }>(
        `/api/v1/access-grants/${principalType}/${id}`,
        undefined,
        { signal },
      ),
  });
}

export function useSaveAccessGrants(principalType: 'user' | 'group', id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (grants: AccessMatrix) =>
      api.put<{ grants: AccessMatrix }>(`/api/v1/access-grants/${principalType}/${id}`, { grants }),
    // Group grants change the effective access of every member.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['access-grants'] }),
  });
}

export function useGroupMembers(groupId: string) {
  return useQuery({
    queryKey: resourceKeys.part(groupResource, groupId, 'members'),
    queryFn: ({ signal }) =>
      api.get<{ data: GroupMember[] }>(`${recordUrl(groupResource, groupId)}/members`, undefined, { signal }),
    select: (answer) => answer.data,
  });
}

export function useGroupMembership(groupId: string) {
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: resourceKeys.all(groupResource) }),
      queryClient.invalidateQueries({ queryKey: ['access-grants'] }),
      queryClient.invalidateQueries({ queryKey: [userResource.path, 'detail'] }),
    ]);
  return {
    add: useMutation({
      mutationFn: (userId: string) => api.post(`${recordUrl(groupResource, groupId)}/members`, { userId }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (userId: string) => api.delete(`${recordUrl(groupResource, groupId)}/members/${userId}`),
      onSuccess: refresh,
    }),
  };
}

export function useOrgChart() {
  return useQuery({
    queryKey: ['org-chart'],
    queryFn: ({ signal }) => api.get<{ data: OrgChartNode[] }>('/api/v1/org-chart', undefined, { signal }),
    select: (answer) => answer.data,
  });
}
