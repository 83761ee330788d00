import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  type RouteComponent,
  redirect,
  useNavigate,
  useParams,
  useSearch,
} from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { ModuleKey } from '../../shared/modules';
import { canRead, sessionQuery, useSession } from '../api/session';
import { ForbiddenPage, NotFoundPage, RouteErrorPage } from '../components/error-pages';
import { PageLoader } from '../components/page-loader';
import { type ListSearch, parseSearchString, stringifySearchParams } from './search-params';

export interface RouterContext {
  queryClient: QueryClient;
}

/** Route components are loaded on first visit so the entry chunk holds only the shell. */
function lazyPage(load: () => Promise<unknown>, name: string): RouteComponent {
  return lazyRouteComponent(load as () => Promise<Record<string, RouteComponent>>, name);
}

type EntityPages = typeof import('../generic/entity-pages');

/**
 * The generic pages (every registry entity without pages of its own, at /records/<type>) are
 * loaded on first visit too; `Route` hands them the route's params and search.
 */
function lazyEntityPage(Route: (props: { pages: EntityPages }) => ReactNode): RouteComponent {
  return lazyRouteComponent(async () => {
    const pages = await import('../generic/entity-pages');
    return { default: () => <Route pages={pages} /> };
  });
}

function RecordListRoute({ pages }: { pages: EntityPages }) {
  const { type } = useParams({ from: '/app/records/$type' });
  const search = useSearch({ from: '/app/records/$type' });
  const navigate = useNavigate({ from: '/records/$type' });
  return (
    <pages.EntityListPage
      type={type}
      search={search}
      onSearchChange={(next, options) => navigate({ search: next, replace: options?.replace })}
    />
  );
}

function RecordCreateRoute({ pages }: { pages: EntityPages }) {
  const { type } = useParams({ from: '/app/records/$type/new' });
  return <pages.EntityFormPage type={type} />;
}

function RecordDetailRoute({ pages }: { pages: EntityPages }) {
  const { type, id } = useParams({ from: '/app/records/$type/$id' });
  const { tab = 'overview' } = useSearch({ from: '/app/records/$type/$id' });
  const navigate = useNavigate({ from: '/records/$type/$id' });
  return (
    <pages.EntityDetailPage
      type={type}
      id={id}
      tab={tab}
      onTabChange={(next) => navigate({ search: next === 'overview' ? {} : { tab: next }, replace: true })}
    />
  );
}

function RecordEditRoute({ pages }: { pages: EntityPages }) {
  const { type, id } = useParams({ from: '/app/records/$type/$id/edit' });
  return <pages.EntityFormPage type={type} id={id} />;
}

/** Pages of a module render only for users who may read it; others get a friendly 403. */
function ModuleGuard({ module }: { module: ModuleKey }) {
  const session = useSession();
  return canRead(session, module) ? <Outlet /> : <ForbiddenPage />;
}
const PeopleModule = () => <ModuleGuard module="hr_people" />;
const AdministrationModule = () => <ModuleGuard module="administration" />;
const InventoryModule = () => <ModuleGuard module="core_inventory" />;
const ComplianceModule = () => <ModuleGuard module="compliance" />;

const listSearch = (search: Record<string, unknown>): ListSearch =>
  Object.fromEntries(
    Object.entries(search).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: () => <NotFoundPage />,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  beforeLoad: async ({ context }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (session) throw redirect({ to: '/' });
  },
  component: lazyPage(() => import('../domains/auth/login.page'), 'LoginPage'),
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/login', search: { redirect: location.href } });
    return { session };
  },
  component: lazyPage(() => import('./app-layout'), 'AppLayout'),
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: lazyPage(() => import('./home.page'), 'HomePage'),
});

const peopleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'people',
  component: PeopleModule,
});

const usersRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'users',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/people/users-list.page'), 'UsersListPage'),
});

const userCreateRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'users/new',
  component: lazyPage(() => import('../domains/people/user-form.page'), 'UserCreatePage'),
});

const userDetailRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'users/$userId',
  validateSearch: (search: Record<string, unknown>): { tab?: string } =>
    typeof search.tab === 'string' ? { tab: search.tab } : {},
  component: lazyPage(() => import('../domains/people/user-detail.page'), 'UserDetailPage'),
});

const userEditRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'users/$userId/edit',
  component: lazyPage(() => import('../domains/people/user-form.page'), 'UserEditPage'),
});

const orgChartRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'org-chart',
  component: lazyPage(() => import('../domains/people/org-chart.page'), 'OrgChartPage'),
});

const orgChartSnapshotRoute = createRoute({
  getParentRoute: () => peopleRoute,
  path: 'org-chart/snapshots/$snapshotId',
  component: lazyPage(() => import('../domains/people/org-chart.page'), 'OrgChartSnapshotPage'),
});

const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'admin',
  component: AdministrationModule,
});

const groupsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'groups',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/people/groups-list.page'), 'GroupsListPage'),
});

const groupCreateRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'groups/new',
  component: lazyPage(() => import('../domains/people/group-form.page'), 'GroupCreatePage'),
});

const groupDetailRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'groups/$groupId',
  validateSearch: (search: Record<string, unknown>): { tab?: string } =>
    typeof search.tab === 'string' ? { tab: search.tab } : {},
  component: lazyPage(() => import('../domains/people/group-detail.page'), 'GroupDetailPage'),
});

const groupEditRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'groups/$groupId/edit',
  component: lazyPage(() => import('../domains/people/group-form.page'), 'GroupEditPage'),
});

const auditLogRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: 'audit-log',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/administration/audit-log.page'), 'AuditLogPage'),
});

// Custom field definitions and tags are readable by every signed-in user; writes need the module.
const customFieldsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'admin/custom-fields',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/administration/custom-fields.page'), 'CustomFieldsPage'),
});

const tagsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/tags',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/administration/tags.page'), 'TagsPage'),
});

const organizationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/organization',
  component: lazyPage(() => import('../domains/administration/organization.page'), 'OrganizationPage'),
});

// Access to generic records is checked by the API per type; the pages show its 403 and 404.
const recordListRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'records/$type',
  validateSearch: listSearch,
  component: lazyEntityPage(RecordListRoute),
});

const recordCreateRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'records/$type/new',
  component: lazyEntityPage(RecordCreateRoute),
});

const recordDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'records/$type/$id',
  validateSearch: (search: Record<string, unknown>): { tab?: string } =>
    typeof search.tab === 'string' ? { tab: search.tab } : {},
  component: lazyEntityPage(RecordDetailRoute),
});

const recordEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'records/$type/$id/edit',
  component: lazyEntityPage(RecordEditRoute),
});

const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'profile',
  component: lazyPage(() => import('../domains/profile/profile.page'), 'ProfilePage'),
});

// The inventory's reports (src/web/domains/assets/reports), for whoever may read the inventory.
const inventoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'inventory',
  component: InventoryModule,
});
const inventoryPage = (path: string, load: () => Promise<unknown>, name: string) =>
  createRoute({ getParentRoute: () => inventoryRoute, path, component: lazyPage(load, name) });
const inventoryReportRoutes = [
  inventoryPage('reports', () => import('../domains/assets/reports/reports.page'), 'ReportsPage'),
  inventoryPage(
    'overdue-returns',
    () => import('../domains/assets/reports/overdue-returns.page'),
    'OverdueReturnsPage',
  ),
  inventoryPage(
    'reports/depreciation',
    () => import('../domains/assets/reports/depreciation.page'),
    'DepreciationPage',
  ),
  inventoryPage(
    'reports/warranties',
    () => import('../domains/assets/reports/expiring.page'),
    'WarrantiesPage',
  ),
  inventoryPage(
    'reports/end-of-life',
    () => import('../domains/assets/reports/expiring.page'),
    'EndOfLifePage',
  ),
  inventoryPage('reports/tree', () => import('../domains/assets/reports/asset-tree.page'), 'AssetTreePage'),
];

// The CSV import wizard; which entities the caller may import is the API's to say.
const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'imports',
  validateSearch: (search: Record<string, unknown>): { entity?: string } =>
    typeof search.entity === 'string' ? { entity: search.entity } : {},
  component: lazyPage(() => import('../domains/imports/import.route'), 'ImportRoute'),
});

// The compliance frameworks: their coverage, the library, import and export, and the control tree.
const complianceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'compliance',
  component: ComplianceModule,
});

const frameworksRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'frameworks',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/compliance/frameworks-page'), 'FrameworksPage'),
});

const frameworkDetailRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'frameworks/$frameworkId',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/compliance/framework-detail'), 'FrameworkDetailPage'),
});

// Coverage across the active frameworks, and what changed between two status snapshots.
const complianceDashboardRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'dashboard',
  component: lazyPage(() => import('../domains/compliance/dashboard-page'), 'DashboardPage'),
});

const complianceDriftRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'drift',
  validateSearch: listSearch,
  component: lazyPage(() => import('../domains/compliance/drift-page'), 'DriftPage'),
});

// Audits: frozen controls and evidence, the auditor's results, the evidence pack and its check.
const auditsPage = lazyPage(() => import('../domains/audits/audits-page'), 'AuditsPage');
const auditDetailPage = lazyPage(() => import('../domains/audits/audit-detail'), 'AuditDetailPage');

const auditsRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'audits',
  validateSearch: listSearch,
  component: auditsPage,
});

const auditVerifyRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'verify-pack',
  component: lazyPage(() => import('../domains/audits/verify-pack-page'), 'VerifyPackPage'),
});

const auditDetailRoute = createRoute({
  getParentRoute: () => complianceRoute,
  path: 'audits/$auditId',
  validateSearch: listSearch,
  component: auditDetailPage,
});

// External auditors read no module: the same pages outside the compliance guard, for any signed-in
// user; the API lists and opens only the audits they are invited to.
const myAuditsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'audits',
  validateSearch: listSearch,
  component: auditsPage,
});

const myAuditDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'audits/$auditId',
  validateSearch: listSearch,
  component: auditDetailPage,
});

/** Unknown addresses inside the app: a friendly 404 within the shell. */
const appNotFoundRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '$',
  component: () => <NotFoundPage />,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    homeRoute,
    peopleRoute.addChildren([
      usersRoute,
      userCreateRoute,
      userDetailRoute,
      userEditRoute,
      orgChartRoute,
      orgChartSnapshotRoute,
    ]),
    adminRoute.addChildren([groupsRoute, groupCreateRoute, groupDetailRoute, groupEditRoute, auditLogRoute]),
    customFieldsRoute,
    tagsRoute,
    organizationRoute,
    recordListRoute,
    recordCreateRoute,
    recordDetailRoute,
    recordEditRoute,
    profileRoute,
    importRoute,
    inventoryRoute.addChildren(inventoryReportRoutes),
    complianceRoute.addChildren([
      frameworksRoute,
      frameworkDetailRoute,
      complianceDashboardRoute,
      complianceDriftRoute,
      auditsRoute,
      auditVerifyRoute,
      auditDetailRoute,
    ]),
    myAuditsRoute,
    myAuditDetailRoute,
    appNotFoundRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch: parseSearchString,
    stringifySearch: stringifySearchParams,
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PageLoader,
    defaultPendingMs: 150,
    defaultErrorComponent: RouteErrorPage,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
