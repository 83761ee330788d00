import { heading, paragraph, renderPdf, stackedBar, table } from '../../platform/pdf/pdf';
import type { complianceDashboard } from './dashboard';

type Dashboard = Awaited<ReturnType<typeof complianceDashboard>>;

const COLORS = { compliant: '#2f9e44', manual: '#1c7ed6', warning: '#f59f00', nonCompliant: '#e03131' };

/** The compliance dashboard as a PDF: totals, each framework, evidence about to expire, the trend. */
export function dashboardPdf(dashboard: Dashboard, organization: string | null): Promise<Buffer> {
  return renderPdf(`Compliance status${organization ? ` — ${organization}` : ''}`, (doc) => {
    const t = dashboard.totals;
    heading(doc, 'All active frameworks');
    paragraph(
      doc,
      `Coverage ${t.coverage}% of ${t.applicable} applicable controls: ${t.compliant} compliant, ${t.manual} covered by evidence, ${t.warning} in warning, ${t.nonCompliant} non-compliant, ${t.uncovered} uncovered; ${t.notApplicable} not applicable. ${dashboard.withoutOwner} applicable controls have no owner.`,
    );
    stackedBar(
      doc,
      [
        { value: t.compliant, color: COLORS.compliant },
        { value: t.manual, color: COLORS.manual },
        { value: t.warning, color: COLORS.warning },
        { value: t.nonCompliant, color: COLORS.nonCompliant },
      ],
      t.applicable,
    );

    heading(doc, 'Frameworks');
    if (dashboard.frameworks.length === 0) paragraph(doc, 'No active framework.');
    else {
      table(
        doc,
        [
          { header: 'Framework', width: 150 },
          { header: 'Coverage', width: 50, align: 'right' },
          { header: 'Compliant', width: 48, align: 'right' },
          { header: 'Evidence', width: 45, align: 'right' },
          { header: 'Warning', width: 42, align: 'right' },
          { header: 'Failing', width: 38, align: 'right' },
          { header: 'Uncovered', width: 50, align: 'right' },
          { header: 'N/A', width: 30, align: 'right' },
          { header: 'No owner', width: 45, align: 'right' },
        ],
        dashboard.frameworks.map((f) => [
          f.name,
          `${f.stats.coverage}%`,
          String(f.stats.compliant),
          String(f.stats.manual),
          String(f.stats.warning),
          String(f.stats.nonCompliant),
          String(f.stats.uncovered),
          String(f.stats.notApplicable),
          String(f.withoutOwner),
        ]),
      );
    }

    heading(doc, `Evidence expiring within ${dashboard.expiringEvidence.withinDays} days`);
    if (dashboard.expiringEvidence.total === 0) paragraph(doc, 'None.');
    else {
      table(
        doc,
        [
          { header: 'Valid until', width: 70 },
          { header: 'Evidence', width: 190 },
          { header: 'Control', width: 70 },
          { header: 'Framework', width: 170 },
        ],
        dashboard.expiringEvidence.items.map((e) => [e.validUntil, e.title, e.controlRefId, e.frameworkName]),
      );
      if (dashboard.expiringEvidence.total > dashboard.expiringEvidence.items.length) {
        paragraph(
          doc,
          `… and ${dashboard.expiringEvidence.total - dashboard.expiringEvidence.items.length} more.`,
        );
      }
    }

    heading(doc, 'Coverage over time (daily snapshots)');
    const names = new Map(dashboard.frameworks.map((f) => [f.id, f.name]));
    const points = dashboard.trend.filter((p) => names.has(p.frameworkId));
    if (points.length === 0) paragraph(doc, 'No snapshot yet: the first is taken within a day.');
    else {
      table(
        doc,
        [
          { header: 'Snapshot', width: 110 },
          { header: 'Framework', width: 300 },
          { header: 'Coverage', width: 60, align: 'right' },
        ],
        points
          .slice(-40)
          .map((p) => [
            p.takenAt.replace('T', ' ').slice(0, 16),
            names.get(p.frameworkId) ?? '',
            `${p.coverage}%`,
          ]),
      );
    }
  });
}
