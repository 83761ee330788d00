import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, type QueryParams } from '../../api/client';
import { type ResourceDefinition, recordUrl, resourceKeys } from '../../api/resources';
import { useSession } from '../../api/session';
import type { Page, RecordDetail } from '../../api/types';
import type {
  Audit,
  AuditCreateInput,
  AuditItem,
  AuditOutcome,
  AuditResult,
  AuditStatus,
  PackVerification,
  Participant,
} from './audits.model';

/**
 * The audits API as the audit screens use it (see the OpenAPI document, tag "Audits"): an audit
 * freezes a framework's controls and their evidence as of its creation; the auditor records a
 * result per control; the evidence pack is the whole of it as a ZIP that can be checked offline.
 */

export const auditResource: ResourceDefinition = {
  path: 'audits',
  entityType: 'audit',
  module: 'compliance',
  labels: { singular: 'Audit', plural: 'Audits' },
  route: '/compliance/audits',
  features: { archivable: false, linkable: true, tagged: true, attachments: true, hardDelete: false },
};

export const auditUrl = (id: string) => recordUrl(auditResource, id);
export const packUrl = (id: string) => `${auditUrl(id)}/export`;
export const evidenceFileUrl = (auditId: string, evidenceId: string) =>
  `${auditUrl(auditId)}/evidence/${encodeURIComponent(evidenceId)}/file`;

const itemsKey = (auditId: string, params?: QueryParams) =>
  resourceKeys.part(auditResource, auditId, 'items', params);
/** Every page of the frozen controls: read again when evidence is added to one. */
export const auditItemsKey = (auditId: string) => resourceKeys.part(auditResource, auditId, 'items');
const participantsKey = (auditId: string) => resourceKeys.part(auditResource, auditId, 'participants');

export function useAudit(id: string) {
  return useQuery({
    queryKey: resourceKeys.detail(auditResource, id),
    queryFn: ({ signal }) => api.get<RecordDetail<Audit>>(auditUrl(id), undefined, { signal }),
  });
}

/** Refreshes one audit (its progress and status) and every audit list. */
function useRefreshAudits() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: resourceKeys.all(auditResource) });
}

export function useCreateAudit() {
  const refresh = useRefreshAudits();
  return useMutation({
    mutationFn: (body: AuditCreateInput) => api.post<RecordDetail<Audit>>('/api/v1/audits', body),
    onSuccess: () => refresh(),
  });
}

export function useAuditItems(auditId: string, params: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: itemsKey(auditId, params),
    queryFn: ({ signal }) => api.get<Page<AuditItem>>(`${auditUrl(auditId)}/items`, params, { signal }),
    placeholderData: keepPreviousData,
  });
}

type ItemChange = { item: AuditItem; result?: AuditResult; auditorComment?: string | null };

/**
 * Records a result or comment, shown at once; the answer's version is kept for the next save. On a
 * refusal (a newer version, a lock) the frozen controls are read again so the screen is true.
 */
export function useUpdateAuditItem(auditId: string) {
  const queryClient = useQueryClient();
  const patchCached = (itemId: string, changes: Partial<AuditItem>) =>
    queryClient.setQueriesData<Page<AuditItem>>({ queryKey: itemsKey(auditId) }, (page) =>
      page
        ? { ...page, data: page.data.map((item) => (item.id === itemId ? { ...item, ...changes } : item)) }
        : page,
    );
  return useMutation({
    mutationFn: ({ item, ...changes }: ItemChange) =>
      api.patch<{ data: Pick<AuditItem, 'id' | 'version' | 'result' | 'auditorComment'> }>(
        `${auditUrl(auditId)}/items/${encodeURIComponent(item.id)}`,
        { ...changes, version: item.version },
      ),
    onMutate: ({ item, ...changes }) => patchCached(item.id, changes),
    onSuccess: ({ data }) => {
      patchCached(data.id, data);
      return queryClient.invalidateQueries({
        queryKey: resourceKeys.detail(auditResource, auditId),
        exact: true,
      });
    },
    onError: () => queryClient.invalidateQueries({ queryKey: itemsKey(auditId) }),
  });
}

/** A step of the audit's workflow; closing carries the outcome. */
export function useChangeAuditStatus(audit: Audit) {
  const refresh = useRefreshAudits();
  return useMutation({
    mutationFn: (change: { status: AuditStatus; outcome?: AuditOutcome }) =>
      api.patch<RecordDetail<Audit>>(auditUrl(audit.id), { ...change, version: audit.version }),
    onSettled: () => refresh(),
  });
}

export function useLockAudit(auditId: string, verb: 'lock' | 'unlock') {
  const refresh = useRefreshAudits();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api.post<Audit>(`${auditUrl(auditId)}/${verb}`, { reason }),
    onSuccess: () => Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: itemsKey(auditId) })]),
  });
}

export function useCloneAudit(auditId: string) {
  const refresh = useRefreshAudits();
  return useMutation({
    mutationFn: (body: { name: string; periodStart: string; periodEnd: string }) =>
      api.post<Audit>(`${auditUrl(auditId)}/clone`, body),
    onSuccess: () => refresh(),
  });
}

export function useParticipants(auditId: string) {
  return useQuery({
    queryKey: participantsKey(auditId),
    queryFn: ({ signal }) =>
      api.get<{ data: Participant[] }>(`${auditUrl(auditId)}/participants`, undefined, { signal }),
    select: (answer) => answer.data,
  });
}

/**
 * Whether the signed-in person is one of the audit's auditors (its people with that role): they
 * alone record results and raise findings. False while the people are read.
 */
export function useIsAuditor(auditId: string): boolean {
  const session = useSession();
  const participants = useParticipants(auditId);
  return (
    participants.data?.some(
      (participant) => participant.userId === session.user.id && participant.role === 'auditor',
    ) ?? false
  );
}

export function useParticipantMutations(auditId: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: participantsKey(auditId) });
  return {
    /** Adds someone to the team, or as an auditor (administrators; themselves included). */
    add: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: Participant['role'] }) =>
        api.post(`${auditUrl(auditId)}/participants`, { userId, role }),
      onSuccess: refresh,
    }),
    /**
     * Invites the auditor (creating their account), then sets the password, if one is given (an
     * auditor invited before keeps theirs unless a new one is given). A refused password
     * leaves the invitation in place: `invited` is set, and only the password is tried again.
     */
    invite: useMutation({
      mutationFn: async (input: {
        email: string;
        name: string;
        password: string;
        invited: Participant | null;
      }) => {
        const invited =
          input.invited ??
          (
            await api.post<{ data: Participant }>(`${auditUrl(auditId)}/auditors`, {
              email: input.email,
              name: input.name,
            })
          ).data;
        if (!input.password) return invited;
        try {
          await api.post(`/api/v1/users/${encodeURIComponent(invited.userId)}/password`, {
            password: input.password,
          });
        } catch (error) {
          throw new PasswordNotSet(invited, error);
        }
        return invited;
      },
      onSettled: refresh,
    }),
    remove: useMutation({
      mutationFn: (userId: string) =>
        api.delete(`${auditUrl(auditId)}/participants/${encodeURIComponent(userId)}`),
      onSuccess: refresh,
    }),
  };
}

/** The auditor was invited, but their password was refused (too short, too easy to guess). */
export class PasswordNotSet extends Error {
  constructor(
    readonly invited: Participant,
    readonly reason: unknown,
  ) {
    super(isApiError(reason) ? reason.summary : 'The password was not set.');
  }
}

export function useVerifyPack() {
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api
        .post<{ data: PackVerification }>('/api/v1/audits/verify-pack', body)
        .then((answer) => answer.data);
    },
  });
}
