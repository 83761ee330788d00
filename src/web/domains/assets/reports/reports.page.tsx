import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../../components/page-header';
import { REPORTS_ROUTE } from './report-kit';

const REPORTS = [
  {
    to: '/inventory/overdue-returns',
    title: 'Overdue returns',
    description: 'Assets and peripherals not back by their expected return date.',
  },
  {
    to: `${REPORTS_ROUTE}/depreciation`,
    title: 'Depreciation',
    description: 'Book value of every asset as of any date, with totals by category and location.',
  },
  {
    to: `${REPORTS_ROUTE}/warranties`,
    title: 'Warranties expiring',
    description: 'Assets and peripherals whose warranty ends within a number of days.',
  },
  {
    to: `${REPORTS_ROUTE}/end-of-life`,
    title: 'End of life due',
    description: 'Assets reaching their expected end of life within a number of days.',
  },
  {
    to: `${REPORTS_ROUTE}/tree`,
    title: 'Inventory tree',
    description: 'Locations, the assets at each, and the peripherals mounted on them.',
  },
];

/** The inventory's reports; each can be downloaded as CSV. */
export function ReportsPage() {
  return (
    <>
      <PageHeader title="Inventory reports" description="Every report can also be downloaded as CSV." />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {REPORTS.map((report) => (
          <Card key={report.to} withBorder padding="lg">
            <Stack gap="xs">
              <Title order={2} size="h4">
                <Text component={Link} to={report.to} inherit c="blue" td="underline">
                  {report.title}
                </Text>
              </Title>
              <Text size="sm" c="dimmed">
                {report.description}
              </Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
