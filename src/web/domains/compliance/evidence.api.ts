import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { type EntityMeta, GENERIC_ROUTE } from '../../api/entity-meta';
import { type ResourceDefinition, resourceKeys } from '../../api/resources';
import type { BaseRecord } from '../../api/types';
import { hitHref } from '../../app/search.api';
import { frameworkResource } from './frameworks.api';

/**
 * What a control's page and a record's Compliance tab read and write: evidence links (a record
 * that shows how a control is met), manual evidence (a dated note or file), and mappings between
 * controls of different frameworks. The server computes each control's status from these.
 */

export const IMPLEMENTATION_LABELS: Record<string, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partial: 'Partially implemented',
  implemented: 'Implemented',
};

export interface ComplianceLink {
  id: string;
  controlId: string;
  controlRefId: string;
  controlTitle: string;
  frameworkId: string;
  frameworkName: string;
  linkableType: string;
  linkableId: string;
  /** Null when the caller may not read that kind of record, or it is gone. */
  linkableLabel: string | null;
  /** The record was archived or deleted: the link no longer counts as evidence. */
  broken: boolean;
  /** The caller may not read that kind of record. */
  restricted: boolean;
  justification: string;
  createdAt: string;
  createdBy: string | null;
}

export interface Evidence extends BaseRecord {
  controlId: string;
  title: string;
  note: string | null;
  evidenceDate: string;
  validUntil: string | null;
  isArchived: boolean;
}

export const MAPPING_RELATIONSHIPS = ['equal', 'subset', 'superset', 'intersects'] as const;
export type MappingRelationship = (typeof MAPPING_RELATIONSHIPS)[number];

/** How a mapping reads from the control whose page shows it. */
export const RELATIONSHIP_HINTS: Record<MappingRelationship, string> = {
  equal: 'Both controls ask for the same thing: evidence of one counts for the other.',
  subset: 'This control is narrower than the other one.',
  superset: 'This control is broader than the other one.',
  intersects: 'The two controls overlap in part.',
};

export interface ControlMapping {
  id: string;
  /** Read from this control: "this control <relationship> the other". */
  relationship: MappingRelationship;
  otherControlId: string;
  otherRefId: string;
  otherTitle: string;
  otherFrameworkId: string;
  otherFrameworkName: string;
}

const features = { archivable: true, linkable: true, tagged: true, attachments: true, hardDelete: false };

export const controlResource: ResourceDefinition = {
  path: 'controls',
  entityType: 'control',
  module: 'compliance',
  labels: { singular: 'Control', plural: 'Controls' },
  route: `${GENERIC_ROUTE}/control`,
  features: { ...features, archivable: false },
};

export const evidenceResource: ResourceDefinition = {
  path: 'compliance-evidence',
  entityType: 'compliance_evidence',
  module: 'compliance',
  labels: { singular: 'Evidence', plural: 'Evidence' },
  route: `${GENERIC_ROUTE}/compliance_evidence`,
  features: { ...features, linkable: false },
};

export const controlHref = (id: string) => `${controlResource.route}/${id}`;
export const frameworkHref = (id: string) => `${frameworkResource.route}/${id}`;

/** Where a linked record opens: its own page where it has one (people, groups), else the generic one. */
export const recordHref = (type: string, id: string) =>
  hitHref({ type, id, title: '', subtitle: null, score: 0 });

/**
 * Record types that can stand as evidence: every linkable type, except the compliance module's own
 * (frameworks and controls relate to each other through mappings, not as evidence).
 */
export function isEvidenceType(meta: EntityMeta): boolean {
  return meta.features.linkable && meta.module !== 'compliance';
}

export type LinkFilter = { controlId: string } | { linkableType: string; linkableId: string };

const LINKS_KEY = 'compliance-links';

export function useComplianceLinks(filter: LinkFilter) {
  return useQuery({
    queryKey: [LINKS_KEY, filter],
    queryFn: ({ signal }) =>
      api
        .get<{ data: ComplianceLink[] }>('/api/v1/compliance-links', filter, { signal })
        .then((response) => response.data),
  });
}

/**
 * Evidence moves statuses, which show on controls (the control page's own record included), on
 * framework statistics and at the other end of equal mappings: after any change, everything
 * compliance shows is read again.
 */
export function refreshCompliance(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) =>
      [LINKS_KEY, controlResource.path, frameworkResource.path, evidenceResource.path].includes(
        String(query.queryKey[0]),
      ),
  });
}

export interface ComplianceLinkInput {
  controlId: string;
  linkableType: string;
  linkableId: string;
  justification: string;
}

export function useCreateComplianceLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ComplianceLinkInput) =>
      api.post<{ data: ComplianceLink }>('/api/v1/compliance-links', input).then((r) => r.data),
    onSuccess: () => refreshCompliance(queryClient),
  });
}

export function useRemoveComplianceLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (link: ComplianceLink) => api.delete(`/api/v1/compliance-links/${link.id}`),
    onSuccess: () => refreshCompliance(queryClient),
  });
}

export function useControlMappings(controlId: string) {
  return useQuery({
    queryKey: resourceKeys.part(controlResource, controlId, 'mappings'),
    queryFn: ({ signal }) =>
      api
        .get<{ data: ControlMapping[] }>(`/api/v1/controls/${controlId}/mappings`, undefined, { signal })
        .then((response) => response.data),
  });
}

export function useCreateMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { fromControlId: string; toControlId: string; relationship: MappingRelationship }) =>
      api.post<{ data: ControlMapping }>('/api/v1/control-mappings', input).then((r) => r.data),
    onSuccess: () => refreshCompliance(queryClient),
  });
}

export function useRemoveMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mapping: ControlMapping) => api.delete(`/api/v1/control-mappings/${mapping.id}`),
    onSuccess: () => refreshCompliance(queryClient),
  });
}

/** Today as the server counts validity (UTC), so that "valid today" means the same on both sides. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Days from today to an ISO date (negative when it is past). */
export function daysUntil(isoDate: string): number {
  return Math.round((Date.parse(isoDate) - Date.parse(todayIso())) / 86_400_000);
}
