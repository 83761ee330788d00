import type { AccessLevel, ModuleKey, Role } from '../../shared/modules';

/** A fictional payments company, Northwind Pay, of the size OpsDeck is for. */
export interface DemoPerson {
  name: string;
  email: string;
  department: string;
  jobTitle: string;
  location: string;
  startDate: string;
  manager?: string;
  costCenter: string;
  status?: 'active' | 'on_leave' | 'contractor';
  role?: Role;
  login?: boolean;
}

const d = (local: string) => `${local}@northwindpay.example`;

export const DEMO_PEOPLE: DemoPerson[] = [
  { name: 'Helena Marsh', email: d('helena.marsh'), department: 'Executive', jobTitle: 'Chief Executive Officer', location: 'London', startDate: '2018-03-01', costCenter: 'CC-100 Executive', login: true, role: 'admin' },
  { name: 'Tomás Ferreira', email: d('tomas.ferreira'), department: 'Engineering', jobTitle: 'Chief Technology Officer', location: 'Lisbon', startDate: '2018-06-11', manager: d('helena.marsh'), costCenter: 'CC-200 Engineering' },
  { name: 'Priya Raman', email: d('priya.raman'), department: 'Security', jobTitle: 'Chief Information Security Officer', location: 'London', startDate: '2019-09-02', manager: d('helena.marsh'), costCenter: 'CC-100 Executive', login: true },
  { name: 'Jonas Weber', email: d('jonas.weber'), department: 'Finance', jobTitle: 'Chief Financial Officer', location: 'Berlin', startDate: '2019-01-14', manager: d('helena.marsh'), costCenter: 'CC-400 Finance' },
  { name: 'Aisha Bello', email: d('aisha.bello'), department: 'People', jobTitle: 'Head of People', location: 'London', startDate: '2020-02-03', manager: d('helena.marsh'), costCenter: 'CC-300 Operations', login: true },
  { name: 'Marcus Lindqvist', email: d('marcus.lindqvist'), department: 'IT', jobTitle: 'IT Manager', location: 'Stockholm', startDate: '2020-05-18', manager: d('tomas.ferreira'), costCenter: 'CC-300 Operations', login: true },
  { name: 'Chloé Martin', email: d('chloe.martin'), department: 'Compliance', jobTitle: 'Compliance Officer', location: 'Paris', startDate: '2021-03-08', manager: d('priya.raman'), costCenter: 'CC-100 Executive', login: true },
  { name: 'Daniel Okafor', email: d('daniel.okafor'), department: 'Security', jobTitle: 'Security Engineer', location: 'London', startDate: '2021-07-19', manager: d('priya.raman'), costCenter: 'CC-200 Engineering' },
  { name: 'Sofia Rossi', email: d('sofia.rossi'), department: 'Engineering', jobTitle: 'Engineering Manager, Payments', location: 'Milan', startDate: '2019-11-04', manager: d('tomas.ferreira'), costCenter: 'CC-200 Engineering' },
  { name: 'Kenji Watanabe', email: d('kenji.watanabe'), department: 'Engineering', jobTitle: 'Senior Backend Engineer', location: 'Remote', startDate: '2020-08-24', manager: d('sofia.rossi'), costCenter: 'CC-200 Engineering' },
  { name: 'Laura Nowak', email: d('laura.nowak'), department: 'Engineering', jobTitle: 'Backend Engineer', location: 'Warsaw', startDate: '2022-01-10', manager: d('sofia.rossi'), costCenter: 'CC-200 Engineering' },
  { name: 'Ethan Clarke', email: d('ethan.clarke'), department: 'Engineering', jobTitle: 'Frontend Engineer', location: 'London', startDate: '2022-04-04', manager: d('sofia.rossi'), costCenter: 'CC-200 Engineering' },
  { name: 'Fatima Zahra', email: d('fatima.zahra'), department: 'Engineering', jobTitle: 'Site Reliability Engineer', location: 'Remote', startDate: '2021-10-11', manager: d('sofia.rossi'), costCenter: 'CC-200 Engineering' },
  { name: 'Oliver Grant', email: d('oliver.grant'), department: 'Engineering', jobTitle: 'Engineering Manager, Platform', location: 'London', startDate: '2020-03-16', manager: d('tomas.ferreira'), costCenter: 'CC-200 Engineering' },
  { name: 'Mei Lin', email: d('mei.lin'), department: 'Engineering', jobTitle: 'Platform Engineer', location: 'Remote', startDate: '2022-09-05', manager: d('oliver.grant'), costCenter: 'CC-200 Engineering' },
  { name: 'Rafael Costa', email: d('rafael.costa'), department: 'Engineering', jobTitle: 'Data Engineer', location: 'Lisbon', startDate: '2023-02-13', manager: d('oliver.grant'), costCenter: 'CC-200 Engineering' },
  { name: 'Hannah Schmidt', email: d('hannah.schmidt'), department: 'Engineering', jobTitle: 'QA Engineer', location: 'Berlin', startDate: '2023-06-01', manager: d('oliver.grant'), costCenter: 'CC-200 Engineering', status: 'on_leave' },
  { name: 'Samuel Adeyemi', email: d('samuel.adeyemi'), department: 'IT', jobTitle: 'IT Support Specialist', location: 'London', startDate: '2021-11-22', manager: d('marcus.lindqvist'), costCenter: 'CC-300 Operations' },
  { name: 'Elena Petrova', email: d('elena.petrova'), department: 'IT', jobTitle: 'Systems Administrator', location: 'Remote', startDate: '2022-02-28', manager: d('marcus.lindqvist'), costCenter: 'CC-300 Operations' },
  { name: 'Lucas Moreau', email: d('lucas.moreau'), department: 'IT', jobTitle: 'IT Contractor (endpoint rollout)', location: 'Paris', startDate: '2026-09-01', manager: d('marcus.lindqvist'), costCenter: 'CC-300 Operations', status: 'contractor' },
  { name: 'Grace Kim', email: d('grace.kim'), department: 'Compliance', jobTitle: 'GRC Analyst', location: 'London', startDate: '2022-07-11', manager: d('chloe.martin'), costCenter: 'CC-100 Executive' },
  { name: 'Noah Williams', email: d('noah.williams'), department: 'Compliance', jobTitle: 'Internal Auditor', location: 'London', startDate: '2023-01-09', manager: d('chloe.martin'), costCenter: 'CC-100 Executive', login: true, role: 'auditor' },
  { name: 'Isabel García', email: d('isabel.garcia'), department: 'Finance', jobTitle: 'Financial Controller', location: 'Madrid', startDate: '2020-10-05', manager: d('jonas.weber'), costCenter: 'CC-400 Finance' },
  { name: 'Peter Novak', email: d('peter.novak'), department: 'Finance', jobTitle: 'Procurement Specialist', location: 'Prague', startDate: '2022-05-16', manager: d('jonas.weber'), costCenter: 'CC-400 Finance' },
  { name: 'Amara Nwosu', email: d('amara.nwosu'), department: 'Finance', jobTitle: 'Accountant', location: 'London', startDate: '2023-08-21', manager: d('isabel.garcia'), costCenter: 'CC-400 Finance' },
  { name: 'Liam O’Connor', email: d('liam.oconnor'), department: 'People', jobTitle: 'People Partner', location: 'Dublin', startDate: '2021-04-12', manager: d('aisha.bello'), costCenter: 'CC-300 Operations' },
  { name: 'Zoe Turner', email: d('zoe.turner'), department: 'People', jobTitle: 'Talent Acquisition Lead', location: 'London', startDate: '2022-03-07', manager: d('aisha.bello'), costCenter: 'CC-300 Operations' },
  { name: 'Victor Hugo Alves', email: d('victor.alves'), department: 'Sales', jobTitle: 'VP Sales', location: 'São Paulo', startDate: '2020-01-20', manager: d('helena.marsh'), costCenter: 'CC-500 Sales' },
  { name: 'Nina Johansson', email: d('nina.johansson'), department: 'Sales', jobTitle: 'Account Executive', location: 'Stockholm', startDate: '2021-09-13', manager: d('victor.alves'), costCenter: 'CC-500 Sales' },
  { name: 'Ahmed Hassan', email: d('ahmed.hassan'), department: 'Sales', jobTitle: 'Account Executive', location: 'Dubai', startDate: '2022-11-14', manager: d('victor.alves'), costCenter: 'CC-500 Sales' },
  { name: 'Olivia Brown', email: d('olivia.brown'), department: 'Customer Success', jobTitle: 'Head of Customer Success', location: 'London', startDate: '2020-06-29', manager: d('victor.alves'), costCenter: 'CC-500 Sales' },
  { name: 'Mateo Fernández', email: d('mateo.fernandez'), department: 'Customer Success', jobTitle: 'Customer Success Manager', location: 'Madrid', startDate: '2023-03-20', manager: d('olivia.brown'), costCenter: 'CC-500 Sales' },
  { name: 'Yara Haddad', email: d('yara.haddad'), department: 'Customer Success', jobTitle: 'Support Engineer', location: 'Remote', startDate: '2024-01-08', manager: d('olivia.brown'), costCenter: 'CC-500 Sales' },
  { name: 'Ben Carter', email: d('ben.carter'), department: 'Operations', jobTitle: 'Payments Operations Lead', location: 'London', startDate: '2021-02-01', manager: d('jonas.weber'), costCenter: 'CC-300 Operations' },
  { name: 'Ingrid Solberg', email: d('ingrid.solberg'), department: 'Operations', jobTitle: 'Fraud Analyst', location: 'Oslo', startDate: '2022-10-03', manager: d('ben.carter'), costCenter: 'CC-300 Operations' },
  { name: 'Kwame Mensah', email: d('kwame.mensah'), department: 'Operations', jobTitle: 'Risk Analyst', location: 'London', startDate: '2024-04-15', manager: d('ben.carter'), costCenter: 'CC-300 Operations' },
];

export const DEMO_GROUPS: Array<{
  name: string;
  description: string;
  grants: Partial<Record<ModuleKey, AccessLevel>>;
  members: string[];
}> = [
  {
    name: 'IT Operations',
    description: 'Runs endpoints, SaaS and the asset inventory.',
    grants: { core_inventory: 'write', operations: 'write', procurement: 'read', hr_people: 'read', dashboards: 'read' },
    members: [d('marcus.lindqvist'), d('samuel.adeyemi'), d('elena.petrova'), d('lucas.moreau')],
  },
  {
    name: 'Security & Compliance',
    description: 'Owns the ISMS: risks, controls, audits and access reviews.',
    grants: { compliance: 'write', risk_governance: 'write', knowledge_policy: 'write', core_inventory: 'read', hr_people: 'read', dashboards: 'read' },
    members: [d('priya.raman'), d('chloe.martin'), d('daniel.okafor'), d('grace.kim')],
  },
  {
    name: 'People Team',
    description: 'The directory, onboarding and offboarding.',
    grants: { hr_people: 'write', communications: 'write', knowledge_policy: 'read', dashboards: 'read' },
    members: [d('aisha.bello'), d('liam.oconnor'), d('zoe.turner')],
  },
  {
    name: 'Finance',
    description: 'Budgets, purchases, contracts and renewals.',
    grants: { finance: 'write', procurement: 'write', dashboards: 'read' },
    members: [d('jonas.weber'), d('isabel.garcia'), d('peter.novak'), d('amara.nwosu')],
  },
];

export const DEMO_TAGS = [
  { name: 'key-person', color: 'red' },
  { name: 'remote', color: 'blue' },
  { name: 'sox-scope', color: 'grape' },
  { name: 'pci-scope', color: 'orange' },
];
