import {
  Alert,
  Fieldset,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { api } from '../../api/client';
import { canWrite, useSession } from '../../api/session';
import { ErrorState } from '../../components/error-pages';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RecordForm } from '../../components/record-form';
import { type FieldRule, useRecordForm } from '../../components/use-record-form';

export interface OrganizationSettings {
  displayName: string;
  legalName: string | null;
  taxId: string | null;
  primaryDomain: string | null;
  emailDomains: string[];
  defaultCurrency: string;
  timeZone: string;
  riskImpactLevels: number;
  riskLikelihoodLevels: number;
  riskAppetiteMediumFrom: number;
  riskAppetiteHighFrom: number;
  riskAppetiteCriticalFrom: number;
}

interface OrganizationRecord {
  settings: OrganizationSettings;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

type FormValues = Record<string, unknown> & {
  [K in keyof OrganizationSettings]: OrganizationSettings[K] extends string | null
    ? string
    : OrganizationSettings[K];
};

const ORGANIZATION_URL = '/api/v1/organization';
export const organizationQueryKey = ['organization'] as const;

export function useOrganization() {
  return useQuery({
    queryKey: organizationQueryKey,
    queryFn: ({ signal }) => api.get<OrganizationRecord>(ORGANIZATION_URL, undefined, { signal }),
    staleTime: 60_000,
  });
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const RULES: Record<string, FieldRule> = {
  displayName: { label: 'Display name', required: true, maxLength: 120 },
  legalName: { label: 'Legal name', maxLength: 255 },
  taxId: { label: 'Tax ID', maxLength: 50 },
  primaryDomain: {
    label: 'Primary domain',
    maxLength: 253,
    pattern: DOMAIN,
    patternMessage: 'Primary domain must be a domain name such as example.com',
  },
  defaultCurrency: { label: 'Currency', required: true },
  timeZone: { label: 'Time zone', required: true },
  riskImpactLevels: { label: 'Impact levels', required: true, integer: true, min: 3, max: 8 },
  riskLikelihoodLevels: { label: 'Likelihood levels', required: true, integer: true, min: 3, max: 8 },
  riskAppetiteMediumFrom: { label: 'Medium from', required: true, integer: true, min: 1, max: 100 },
  riskAppetiteHighFrom: { label: 'High from', required: true, integer: true, min: 1, max: 100 },
  riskAppetiteCriticalFrom: { label: 'Critical from', required: true, integer: true, min: 1, max: 100 },
};

function toValues(settings: OrganizationSettings): FormValues {
  return {
    ...settings,
    legalName: settings.legalName ?? '',
    taxId: settings.taxId ?? '',
    primaryDomain: settings.primaryDomain ?? '',
  };
}

function listOf(kind: 'currency' | 'timeZone', current: string): string[] {
  const values = Intl.supportedValuesOf(kind);
  // The browser's list may miss a valid value the server accepts (e.g. "UTC"); keep the current one.
  return values.includes(current) ? values : [current, ...values];
}

const currencyName = new Intl.DisplayNames(['en'], { type: 'currency' });

/** Organisation settings: identity, regional defaults and the risk matrix. */
export function OrganizationPage() {
  const query = useOrganization();
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <>
      <PageHeader
        title="Organisation"
        description="Who you are, the defaults every screen uses, and how risks are scored."
      />
      {query.data ? (
        // Mounted once: a background refetch must not throw away edits in progress (a stale save
        // answers 409 and the form explains it instead).
        <OrganizationForm record={query.data} />
      ) : (
        <Skeleton height={480} maw={880} />
      )}
    </>
  );
}

function OrganizationForm({ record }: { record: OrganizationRecord }) {
  const session = useSession();
  const writable = canWrite(session, 'settings');
  const queryClient = useQueryClient();
  const form = useRecordForm<FormValues>({
    initialValues: toValues(record.settings),
    rules: RULES,
    version: record.version,
    fromRecord: (current) => toValues((current as OrganizationRecord).settings),
  });
  const save = useMutation({
    mutationFn: ({ values, version }: { values: FormValues; version: number }) =>
      api.put<OrganizationRecord>(ORGANIZATION_URL, { ...values, version }),
    onSuccess: (saved) => queryClient.setQueryData(organizationQueryKey, saved),
  });
  const currencies = useMemo(
    () =>
      listOf('currency', form.values.defaultCurrency).map((code) => ({
        value: code,
        label: `${code} · ${currencyName.of(code) ?? code}`,
      })),
    [form.values.defaultCurrency],
  );
  const timeZones = useMemo(() => listOf('timeZone', form.values.timeZone), [form.values.timeZone]);
  const number = (path: keyof OrganizationSettings) => ({
    value: form.values[path] as number,
    onChange: (value: string | number) => form.setValue(path, value === '' ? null : Number(value)),
    onBlur: () => form.markTouched(path),
    error: form.errorFor(path),
    required: true,
    disabled: !writable,
    allowDecimal: false,
    // Out-of-range values are explained, not silently changed.
    clampBehavior: 'none' as const,
  });
  const maxScore = form.values.riskImpactLevels * form.values.riskLikelihoodLevels;
  const band = (percent: number) => Math.ceil((percent / 100) * maxScore);

  const fields = (
    <Stack gap="lg" maw={880}>
      {!writable && (
        <Alert color="gray" title="Read only">
          You can see the organisation settings; changing them needs write access to Settings.
        </Alert>
      )}
      <Fieldset legend="Identity" disabled={!writable}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Display name"
            description="How OpsDeck names your organisation on screens and reports."
            {...form.text('displayName')}
          />
          <TextInput label="Legal name" {...form.text('legalName')} />
          <TextInput label="Tax ID" {...form.text('taxId')} />
          <TextInput label="Primary domain" placeholder="example.com" {...form.text('primaryDomain')} />
          <TagsInput
            label="E-mail domains"
            description="Addresses at these domains belong to your people. Press Enter after each."
            placeholder="example.com"
            value={form.values.emailDomains}
            onChange={(value) =>
              form.setValue(
                'emailDomains',
                value.map((domain) => domain.trim().toLowerCase()),
              )
            }
            error={form.errorFor('emailDomains')}
            maxTags={20}
            splitChars={[',', ' ']}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Regional defaults" disabled={!writable}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Currency"
            description="Money is reported in this currency."
            data={currencies}
            searchable
            allowDeselect={false}
            {...form.select('defaultCurrency')}
          />
          <Select
            label="Time zone"
            description="Dates and deadlines are shown in this zone."
            data={timeZones}
            searchable
            allowDeselect={false}
            limit={50}
            {...form.select('timeZone')}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Risk matrix" disabled={!writable}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput label="Impact levels" min={3} max={8} {...number('riskImpactLevels')} />
            <NumberInput label="Likelihood levels" min={3} max={8} {...number('riskLikelihoodLevels')} />
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            Appetite bands, as a percentage of the highest score ({maxScore || '—'}): a risk is medium, high
            or critical from these scores on.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label="Medium from (%)"
              min={1}
              max={100}
              description={`Score ${band(form.values.riskAppetiteMediumFrom) || '—'} and above`}
              {...number('riskAppetiteMediumFrom')}
            />
            <NumberInput
              label="High from (%)"
              min={1}
              max={100}
              description={`Score ${band(form.values.riskAppetiteHighFrom) || '—'} and above`}
              {...number('riskAppetiteHighFrom')}
            />
            <NumberInput
              label="Critical from (%)"
              min={1}
              max={100}
              description={`Score ${band(form.values.riskAppetiteCriticalFrom) || '—'} and above`}
              {...number('riskAppetiteCriticalFrom')}
            />
          </SimpleGrid>
        </Stack>
      </Fieldset>
      <Text size="sm" c="dimmed">
        {record.updatedAt
          ? `Last saved ${formatDateTime(record.updatedAt)}.`
          : 'Not saved yet: these are the defaults.'}{' '}
        {(session.user.role === 'admin' || session.user.role === 'auditor') && (
          <Link to="/admin/audit-log" search={{ entityType: 'organization_settings' }}>
            See the changes in the audit log.
          </Link>
        )}
      </Text>
    </Stack>
  );

  if (!writable) return fields;
  return (
    <RecordForm
      form={form}
      onSubmit={({ values, version }) => save.mutateAsync({ values, version: version ?? record.version })}
      onSaved={(saved) => {
        // Stay on the page, editing from what was saved.
        form.reset(toValues(saved.settings), saved.version);
        notifySuccess('Organisation settings saved.');
      }}
    >
      {fields}
    </RecordForm>
  );
}
