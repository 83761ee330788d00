import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../api/client';
import { GENERIC_ROUTE } from '../../api/entity-meta';
import {
  collectionUrl,
  downloadFile,
  type ResourceDefinition,
  recordUrl,
  resourceKeys,
} from '../../api/resources';
import type { BaseRecord, Page } from '../../api/types';
import { refreshCompliance } from './evidence.api';
import type { ControlStatus, FrameworkStats } from './frameworks.api';

/**
 * What the compliance dashboard, the drift report and a control's Rules tab read and write (see
 * the OpenAPI document, tag "Compliance"): coverage across the active frameworks, status
 * snapshots and what changed between two of them, and the rules that judge a control on their own.
 */

export interface DashboardFramework {
  id: string;
  name: string;
  stats: FrameworkStats;
  /** Applicable controls nobody (person or group) owns. */
  withoutOwner: number;
}

export interface ExpiringEvidence {
  id: string;
  title: string;
  validUntil: string;
  controlId: string;
  controlRefId: string;
  frameworkName: string;
}

export interface TrendPoint {
  snapshotId: string;
  takenAt: string;
  frameworkId: string;
  coverage: number;
}

export interface ComplianceDashboard {
  /** Active, non-archived frameworks only. */
  frameworks: DashboardFramework[];
  totals: FrameworkStats;
  withoutOwner: number;
  expiringEvidence: { withinDays: number; total: number; items: ExpiringEvidence[] };
  trend: TrendPoint[];
}

export interface Snapshot {
  id: string;
  takenAt: string;
  trigger: 'schedule' | 'manual';
  takenBy?: string | null;
  controls: number;
  /** Only when just taken: owners told of a regression since the previous snapshot. */
  notified?: number;
}

export const DRIFT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type DriftSeverity = (typeof DRIFT_SEVERITIES)[number];
export type DriftKind = 'regression' | 'improvement' | 'scope';

export interface DriftChange {
  controlId: string;
  refId: string;
  title: string;
  frameworkId: string;
  frameworkName: string;
  ownerUserId: string | null;
  ownerGroupId: string | null;
  from: ControlStatus;
  to: ControlStatus;
  fromReason: string;
  toReason: string;
  kind: DriftKind;
  severity: DriftSeverity;
}

/** One end of a comparison; `id` is `now` for the live statuses. */
export interface SnapshotRef {
  id: string;
  takenAt: string;
}

export interface DriftReport {
  /** Null when there are fewer than two snapshots to compare. */
  from: SnapshotRef | null;
  to: SnapshotRef | null;
  regressions: number;
  improvements: number;
  /** Regressions first, the worst first, as the server orders them. */
  changes: DriftChange[];
}

export interface DriftQuery {
  from?: string;
  /** A snapshot id or `now`. */
  to?: string;
  frameworkId?: string;
}

export const NOW = 'now';

const DASHBOARD_KEY = ['compliance-dashboard'] as const;
const SNAPSHOTS_KEY = ['compliance-snapshots'] as const;
const DRIFT_KEY = ['compliance-drift'] as const;

export function useComplianceDashboard() {
  return useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: ({ signal }) =>
      api
        .get<{ data: ComplianceDashboard }>('/api/v1/compliance/dashboard', undefined, { signal })
        .then((response) => response.data),
  });
}

/** The newest snapshots first (at most 200: enough to pick from, about half a year of daily ones). */
export function useSnapshots() {
  return useQuery({
    queryKey: SNAPSHOTS_KEY,
    queryFn: ({ signal }) =>
      api
        .get<{ data: Snapshot[] }>('/api/v1/compliance/snapshots', { limit: 200 }, { signal })
        .then((response) => response.data),
  });
}

export function useDrift(query: DriftQuery, enabled = true) {
  return useQuery({
    queryKey: [...DRIFT_KEY, query],
    queryFn: ({ signal }) =>
      api.get<{ data: DriftReport }>('/api/v1/compliance/drift', { ...query }, { signal }),
    select: (response) => response.data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Everything the dashboard and the drift report show, read again after a change. */
function refreshReports(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) =>
      [DASHBOARD_KEY[0], SNAPSHOTS_KEY[0], DRIFT_KEY[0]].some((key) => key === query.queryKey[0]),
  });
}

export function useTakeSnapshot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<{ data: Snapshot }>('/api/v1/compliance/snapshots').then((response) => response.data),
    onSuccess: () => refreshReports(queryClient),
  });
}

/** Downloads the dashboard as a PDF; fetched rather than linked, so that a refusal can be shown. */
export function downloadDashboardPdf(): Promise<void> {
  return downloadFile(
    '/api/v1/compliance/dashboard.pdf',
    {},
    { accept: 'application/pdf', fallbackName: 'compliance.pdf' },
  );
}

// Rules: automated evidence on a control.

export const RULE_TYPES = ['recent_record', 'linked_records'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface RecentRecordCriteria {
  entityType: string;
  /** The record type's list filters, as its list takes them (`{ status: 'in_use,in_stock' }`). */
  filters: Record<string, string>;
  /** A date filter of the record type, or `createdAt` / `updatedAt`. */
  dateField: string;
}

export interface LinkedRecordsCriteria {
  minimum: number;
}

export interface ComplianceRule extends BaseRecord {
  name: string;
  controlId: string;
  description: string | null;
  ruleType: RuleType;
  criteria: Partial<RecentRecordCriteria & LinkedRecordsCriteria>;
  windowDays: number;
  graceDays: number;
  enabled: boolean;
  ownerUserId: string | null;
}

/** A rule's verdict at the control's last computation (on the control record, `ruleResults`). */
export interface RuleResult {
  ruleId: string;
  name: string;
  status: Extract<ControlStatus, 'compliant' | 'warning' | 'non_compliant'>;
  reason: string;
  evidenceDate: string | null;
}

export const ruleResource: ResourceDefinition = {
  path: 'compliance-rules',
  entityType: 'compliance_rule',
  module: 'compliance',
  labels: { singular: 'Compliance rule', plural: 'Compliance rules' },
  route: `${GENERIC_ROUTE}/compliance_rule`,
  features: { archivable: false, linkable: false, tagged: false, attachments: false, hardDelete: true },
};

/** A control has a handful of rules: one page holds them all. */
const RULES_PAGE = 100;

export function useControlRules(controlId: string) {
  const params = { controlId, pageSize: RULES_PAGE, sort: 'name' };
  return useQuery({
    queryKey: resourceKeys.list(ruleResource, params),
    queryFn: ({ signal }) => api.get<Page<ComplianceRule>>(collectionUrl(ruleResource), params, { signal }),
  });
}

export type RuleInput = Pick<
  ComplianceRule,
  'name' | 'description' | 'ruleType' | 'criteria' | 'ownerUserId'
> &
  Partial<Pick<ComplianceRule, 'windowDays' | 'graceDays'>>;

/** A rule changes its control's status (and so frameworks, the dashboard, drift against now). */
function useRefreshAfterRule() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: resourceKeys.all(ruleResource) }),
      refreshCompliance(queryClient),
      refreshReports(queryClient),
    ]);
}

export function useCreateRule() {
  const refresh = useRefreshAfterRule();
  return useMutation({
    mutationFn: (input: RuleInput & { controlId: string; enabled: boolean }) =>
      api.post<ComplianceRule>(collectionUrl(ruleResource), input),
    onSuccess: () => refresh(),
  });
}

export function useUpdateRule() {
  const queryClient = useQueryClient();
  const refresh = useRefreshAfterRule();
  return useMutation({
    mutationFn: ({
      rule,
      changes,
      version,
    }: {
      rule: ComplianceRule;
      changes: Partial<RuleInput & { enabled: boolean }>;
      version?: number;
    }) =>
      api.patch<ComplianceRule>(recordUrl(ruleResource, rule.id), {
        ...changes,
        version: version ?? rule.version,
      }),
    // The saved rule shows at once in the lists that hold it, before they are read again.
    onSuccess: (saved) =>
      queryClient.setQueriesData<Page<ComplianceRule>>({ queryKey: [ruleResource.path, 'list'] }, (page) =>
        page ? { ...page, data: page.data.map((rule) => (rule.id === saved.id ? saved : rule)) } : page,
      ),
    // A refused change (a conflict) may mean the list is stale: read it again either way.
    onSettled: () => refresh(),
  });
}

export function useDeleteRule() {
  const refresh = useRefreshAfterRule();
  return useMutation({
    mutationFn: (rule: ComplianceRule) =>
      api.delete(recordUrl(ruleResource, rule.id), { headers: { 'if-match': `"${rule.version}"` } }),
    onSettled: () => refresh(),
  });
}
