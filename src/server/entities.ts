import { assetEntity, assetModelEntity, brandEntity, locationEntity } from './domains/assets/assets.entity';
import { disposalEntity } from './domains/assets/disposals.entity';
import { inventoryEntity } from './domains/assets/inventories.entity';
import { maintenanceLogEntity } from './domains/assets/maintenance.entity';
import { peripheralEntity } from './domains/assets/peripherals.entity';
import { licenseEntity, softwareEntity } from './domains/assets/software.entity';
import { auditEntity } from './domains/audits/audits.entity';
import { complianceRuleEntity } from './domains/compliance/compliance-rules.entity';
import { controlEntity, evidenceEntity, frameworkEntity } from './domains/compliance/frameworks.entity';
import { groupEntity } from './domains/people/groups.entity';
import { orgChartSnapshotEntity } from './domains/people/org-chart.entity';
import { userEntity } from './domains/people/users.entity';
import { makeCustomFieldEntity } from './platform/custom-fields/custom-fields.entity';
import type { EntityDefinition } from './platform/entities/registry';
import { tagEntity } from './platform/tags/tags.entity';

/**
 * The composition root of the entity registry: every entity the API serves, in one list.
 * A new domain adds its definitions here.
 */
const domainEntities: EntityDefinition[] = [
  userEntity,
  groupEntity,
  orgChartSnapshotEntity,
  locationEntity,
  brandEntity,
  assetModelEntity,
  assetEntity,
  peripheralEntity,
  inventoryEntity,
  maintenanceLogEntity,
  disposalEntity,
  softwareEntity,
  licenseEntity,
  frameworkEntity,
  controlEntity,
  evidenceEntity,
  complianceRuleEntity,
  auditEntity,
];

const customFieldTypes = domainEntities.filter((d) => d.features.customFields).map((d) => d.entityType) as [
  string,
  ...string[],
];

export const entityDefinitions: EntityDefinition[] = [
  ...domainEntities,
  tagEntity,
  makeCustomFieldEntity(customFieldTypes),
];
