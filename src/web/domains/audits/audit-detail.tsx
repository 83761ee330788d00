import {
  Alert,
  Anchor,
  Badge,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { canRead, useSession } from '../../api/session';
import type { ListSearch } from '../../app/search-params';
import { ErrorState } from '../../components/error-pages';
import { formatDate, formatDateTime } from '../../components/format';
import { LockIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { AuditActions } from './audit-actions';
import { AuditControls } from './audit-controls';
import { AuditFindings } from './audit-findings';
import { AuditStatusBadge, LeadName, ProgressCounters } from './audit-parts';
import { AuditPeople } from './audit-people';
import { AuditRequests } from './audit-requests';
import { type ItemRef, useFindings, useRequests } from './audit-work.api';
import { useAudit } from './audits.api';
import { type Audit, useAuditsBase } from './audits.model';

/**
 * One audit: what it covers and when it was frozen, its workflow, lock and pack, the counters of
 * results, and in tabs the frozen controls (with their evidence and the work on each, in a
 * drawer), the findings, the requests for evidence and its people.
 */

const TABS = ['controls', 'findings', 'requests', 'people'] as const;
type AuditTab = (typeof TABS)[number];

export function AuditDetailPage() {
  const { auditId } = useParams({ strict: false }) as { auditId: string };
  const search: ListSearch = useSearch({ strict: false });
  const navigate = useNavigate();
  const base = useAuditsBase();
  const query = useAudit(auditId);
  if (query.isError) return <ErrorState error={query.error} what="audit" onRetry={() => query.refetch()} />;
  if (!query.data) return <Skeleton height={320} />;
  const audit = query.data;
  const tab: AuditTab = TABS.find((candidate) => candidate === search.tab) ?? 'controls';
  const setSearch = (changes: ListSearch, replace = true) =>
    navigate({ to: `${base}/${audit.id}`, search: { ...search, ...changes }, replace });
  // A control named on another tab opens on its page of the Controls tab, in its drawer.
  const openItem = (item: ItemRef) =>
    setSearch(
      { tab: undefined, page: item.page === 1 ? undefined : String(item.page), item: item.id },
      false,
    );

  return (
    <>
      <PageHeader
        title={audit.name}
        crumbs={[{ label: base === '/audits' ? 'My audits' : 'Audits', to: base }, { label: audit.name }]}
        badge={<AuditStatusBadge audit={audit} size="lg" />}
        actions={<AuditActions audit={audit} />}
      />
      <Stack gap="lg">
        {audit.locked && (
          <Alert color="orange" icon={<LockIcon size={18} />} title="This audit is locked" role="status">
            {audit.lockReason ?? 'No reason given'}
            {audit.lockedAt ? ` — locked ${formatDateTime(audit.lockedAt)}.` : '.'} Nothing can change until
            an administrator unlocks it.
          </Alert>
        )}
        <AuditFacts audit={audit} />
        <ProgressCounters audit={audit} />
        <Tabs
          value={tab}
          onChange={(value) =>
            setSearch({ tab: value === 'controls' || !value ? undefined : value, item: undefined })
          }
        >
          <Tabs.List>
            <Tabs.Tab value="controls">Controls</Tabs.Tab>
            <Tabs.Tab value="findings" rightSection={<OpenCount auditId={audit.id} of="findings" />}>
              Findings
            </Tabs.Tab>
            <Tabs.Tab value="requests" rightSection={<OpenCount auditId={audit.id} of="requests" />}>
              Requests
            </Tabs.Tab>
            <Tabs.Tab value="people">People</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="controls" pt="md">
            {tab === 'controls' && (
              <AuditControls
                audit={audit}
                page={Number(search.page) > 0 ? Number(search.page) : 1}
                onPageChange={(page) => setSearch({ page: page === 1 ? undefined : String(page) })}
                openId={search.item ?? null}
                onOpenChange={(item) => setSearch({ item: item ?? undefined })}
              />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="findings" pt="md">
            {tab === 'findings' && (
              <AuditFindings audit={audit} search={search} onSearchChange={setSearch} onOpenItem={openItem} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="requests" pt="md">
            {tab === 'requests' && (
              <AuditRequests audit={audit} search={search} onSearchChange={setSearch} onOpenItem={openItem} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="people" pt="md">
            {tab === 'people' && <AuditPeople audit={audit} />}
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </>
  );
}

/** How many findings or requests are still open (not closed; not answered), beside the tab's name. */
function OpenCount({ auditId, of }: { auditId: string; of: 'findings' | 'requests' }) {
  const findings = useFindings(auditId);
  const requests = useRequests(auditId);
  const open =
    of === 'findings'
      ? findings.data?.filter((finding) => finding.status !== 'closed').length
      : requests.data?.filter((request) => request.status === 'open').length;
  if (!open) return null;
  return (
    <Badge size="sm" variant="light" color={of === 'requests' ? 'orange' : 'red'} circle={open < 10}>
      {open}
      <VisuallyHidden> open</VisuallyHidden>
    </Badge>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function AuditFacts({ audit }: { audit: Audit }) {
  const session = useSession();
  const base = useAuditsBase();
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Fact label="Framework">
          {canRead(session, 'compliance') ? (
            <Anchor component={Link} to={`/compliance/frameworks/${audit.frameworkId}`} size="sm">
              {audit.frameworkName}
            </Anchor>
          ) : (
            audit.frameworkName
          )}
        </Fact>
        <Fact label="Period">
          {formatDate(audit.periodStart)} – {formatDate(audit.periodEnd)}
        </Fact>
        <Fact label="Frozen as of">{formatDateTime(audit.frozenAsOf)}</Fact>
        <Fact label="Lead">
          <LeadName audit={audit} />
        </Fact>
        <Fact label="Scope">
          {audit.scope === 'all' ? 'Every applicable control' : 'A selection of controls'}
        </Fact>
        <Fact label="Evidence look-back">
          {audit.lookbackMonths} {audit.lookbackMonths === 1 ? 'month' : 'months'}
        </Fact>
        <Fact label="Sample per rule">{audit.samplePerRule ?? 'Every record'}</Fact>
        <Fact label="Cloned from">
          {audit.clonedFromId && session.user.role !== 'external_auditor' ? (
            <Anchor component={Link} to={`${base}/${audit.clonedFromId}`} size="sm">
              The previous audit
            </Anchor>
          ) : (
            '—'
          )}
        </Fact>
      </SimpleGrid>
      {!audit.locked && audit.lockReason && (
        <Group mt="sm">
          <Text size="xs" c="dimmed">
            Locked before. {audit.lockReason}
          </Text>
        </Group>
      )}
    </Paper>
  );
}
