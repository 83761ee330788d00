import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { resourceKeys } from '../../api/resources';
import { useSession } from '../../api/session';
import type { Page } from '../../api/types';
import {
  type AuditComment,
  type CommentAudience,
  type EvidenceRequest,
  type Finding,
  type FindingInput,
  workAbilities,
  workBlockedReason,
} from './audit-work.model';
import { auditItemsKey, auditResource, auditUrl, useIsAuditor } from './audits.api';
import type { Audit, AuditItem } from './audits.model';

/**
 * The API of an audit's work (see the OpenAPI document, tag "Audits"): threads on each frozen
 * control, requests for more evidence, evidence added later, findings, and the OSCAL results.
 */

export const assessmentResultsUrl = (auditId: string) => `${auditUrl(auditId)}/assessment-results`;
const itemUrl = (auditId: string, itemId: string) =>
  `${auditUrl(auditId)}/items/${encodeURIComponent(itemId)}`;

const commentsKey = (auditId: string, itemId: string) =>
  resourceKeys.part(auditResource, auditId, 'comments', { itemId });
const requestsKey = (auditId: string) => resourceKeys.part(auditResource, auditId, 'requests');
const findingsKey = (auditId: string) => resourceKeys.part(auditResource, auditId, 'findings');

export function useComments(auditId: string, itemId: string) {
  return useQuery({
    queryKey: commentsKey(auditId, itemId),
    queryFn: ({ signal }) =>
      api.get<{ data: AuditComment[] }>(`${itemUrl(auditId, itemId)}/comments`, undefined, { signal }),
    select: (answer) => answer.data,
  });
}

export function usePostComment(auditId: string, itemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { audience: CommentAudience; body: string }) =>
      api.post<{ data: AuditComment }>(`${itemUrl(auditId, itemId)}/comments`, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: commentsKey(auditId, itemId) }),
  });
}

/** Every request of the audit, open ones first; the drawer shows those of its control. */
export function useRequests(auditId: string) {
  return useQuery({
    queryKey: requestsKey(auditId),
    queryFn: ({ signal }) =>
      api.get<{ data: EvidenceRequest[] }>(`${auditUrl(auditId)}/requests`, undefined, { signal }),
    select: (answer) => answer.data,
  });
}

export function useAskForEvidence(auditId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { itemId: string; body: string }) =>
      api.post<{ data: EvidenceRequest }>(`${itemUrl(auditId, input.itemId)}/requests`, { body: input.body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestsKey(auditId) }),
  });
}

/** Answers (the team), closes or reopens a request; a refusal reads the requests again. */
export function useUpdateRequest(auditId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ request, ...change }: { request: EvidenceRequest; status?: string; answer?: string }) =>
      api.patch<{ data: EvidenceRequest }>(
        `${auditUrl(auditId)}/requests/${encodeURIComponent(request.id)}`,
        {
          ...change,
          version: request.version,
        },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestsKey(auditId) }),
  });
}

export type AddedEvidenceInput =
  | { recordType: string; recordId: string; justification: string }
  | { title: string; note: string };

/** Evidence added to a frozen control (the team): frozen as it is now; the control's evidence is read again. */
export function useAddEvidence(auditId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, ...input }: AddedEvidenceInput & { itemId: string }) =>
      api.post<{ data: { id: string; displayName: string; frozenAt: string } }>(
        `${itemUrl(auditId, itemId)}/evidence`,
        input,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: auditItemsKey(auditId) }),
  });
}

/** The audit's findings, most severe first. */
export function useFindings(auditId: string) {
  return useQuery({
    queryKey: findingsKey(auditId),
    queryFn: ({ signal }) =>
      api.get<{ data: Finding[] }>(`${auditUrl(auditId)}/findings`, undefined, { signal }),
    select: (answer) => answer.data,
  });
}

/** Records a finding (no `finding`) or changes one (with its version). */
export function useSaveFinding(auditId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ finding, input }: { finding: Finding | null; input: FindingInput }) =>
      (finding
        ? api.patch<{ data: Finding }>(`${auditUrl(auditId)}/findings/${encodeURIComponent(finding.id)}`, {
            ...input,
            version: finding.version,
          })
        : api.post<{ data: Finding }>(`${auditUrl(auditId)}/findings`, input)
      ).then((answer) => answer.data),
    onSettled: () => queryClient.invalidateQueries({ queryKey: findingsKey(auditId) }),
  });
}

export interface ItemRef {
  id: string;
  refId: string;
  title: string;
  kind: AuditItem['kind'];
  /** The page of the Controls tab it is on. */
  page: number;
}

/** Items per page: the Controls tab's page size, so that an item's page here is its page there. */
export const ITEMS_PAGE_SIZE = 100;

/** What the actor may do in the audit's work now (see `workAbilities`), knowing whether they audit it. */
export function useWorkAbilities(audit: Audit) {
  return workAbilities(useSession(), audit, useIsAuditor(audit.id));
}

/** Why the actor cannot take part in the audit's work now, or null. */
export function useWorkBlockedReason(audit: Audit, what: 'work' | 'findings' = 'work') {
  return workBlockedReason(useSession(), audit, what, useIsAuditor(audit.id));
}

/**
 * Every frozen control's reference, title and page: to choose a control when recording a finding,
 * and to open one on its page of the Controls tab. Frozen items never change, so this is read once
 * per visit, and only when needed (findings and requests name their control themselves).
 */
function itemIndexQuery(auditId: string) {
  return queryOptions({
    queryKey: resourceKeys.part(auditResource, auditId, 'item-index'),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const index = new Map<string, ItemRef>();
      for (let page = 1; ; page++) {
        const answer = await api.get<Page<AuditItem>>(
          `${auditUrl(auditId)}/items`,
          { page, pageSize: ITEMS_PAGE_SIZE },
          { signal },
        );
        for (const item of answer.data)
          index.set(item.id, { id: item.id, refId: item.refId, title: item.title, kind: item.kind, page });
        if (answer.data.length === 0 || page * ITEMS_PAGE_SIZE >= answer.total) return index;
      }
    },
  });
}

export function useItemIndex(auditId: string, enabled: boolean) {
  return useQuery({ ...itemIndexQuery(auditId), enabled });
}

/** Opens a control by its id on its page of the Controls tab, reading the index first if need be. */
export function useOpenItem(auditId: string, onOpenItem: (item: ItemRef) => void) {
  const queryClient = useQueryClient();
  return async (itemId: string) => {
    const item = (await queryClient.ensureQueryData(itemIndexQuery(auditId))).get(itemId);
    if (item) onOpenItem(item);
  };
}
