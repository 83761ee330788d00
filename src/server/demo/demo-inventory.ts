import { assetEntity, assetModelEntity, brandEntity, locationEntity } from '../domains/assets/assets.entity';
import { checkOutAsset } from '../domains/assets/custody.service';
import { disposalEntity } from '../domains/assets/disposals.entity';
import { assignSeat } from '../domains/assets/licenses.service';
import { maintenanceLogEntity } from '../domains/assets/maintenance.entity';
import { checkOutPeripheral } from '../domains/assets/peripheral-custody.service';
import { peripheralEntity } from '../domains/assets/peripherals.entity';
import { licenseEntity, softwareEntity } from '../domains/assets/software.entity';
import { insertRecord } from '../platform/audit/write';
import { createEntity } from '../platform/entities/entity.service';
import type { ServiceContext } from '../platform/http/context';

/** Where the demo company's people work, as inventory locations. */
const SITES = [
  { name: 'London HQ', city: 'London', country: 'GB', timeZone: 'Europe/London' },
  { name: 'Lisbon office', city: 'Lisbon', country: 'PT', timeZone: 'Europe/Lisbon' },
  { name: 'Berlin office', city: 'Berlin', country: 'DE', timeZone: 'Europe/Berlin' },
] as const;

const MODELS = [
  { brand: 'Apple', name: 'MacBook Pro 14"', category: 'Laptop', cost: '2399.00', life: 36 },
  { brand: 'Lenovo', name: 'ThinkPad X1 Carbon Gen 12', category: 'Laptop', cost: '1890.00', life: 36 },
  { brand: 'Dell', name: 'UltraSharp U2723QE', category: 'Monitor', cost: '589.00', life: 60 },
] as const;

/**
 * The demo company's hardware and software, through the ordinary services (so custody, seats and
 * the disposal keep their rules and audit rows): a laptop for each of the first people, monitors
 * and docks, two products with licences, a repair and a disposal. `people` are the demo's user ids
 * with their office, in load order.
 */
export async function loadDemoInventory(
  tx: ServiceContext,
  people: Array<{ id: string; location: string }>,
): Promise<{ assets: number; retiredAssetId: string }> {
  const sites = new Map<string, string>();
  for (const site of SITES) sites.set(site.city, (await insertRecord(tx, locationEntity, site)).id);
  const brands = new Map<string, string>();
  for (const name of ['Apple', 'Lenovo', 'Dell', 'Logitech'])
    brands.set(name, (await insertRecord(tx, brandEntity, { name })).id);
  const models = [];
  for (const model of MODELS) {
    const row = await insertRecord(tx, assetModelEntity, {
      brandId: brands.get(model.brand)!,
      name: model.name,
      category: model.category,
    });
    models.push({ ...model, id: row.id });
  }
  const laptopHolders = people.slice(0, 20);
  let count = 0;
  for (const [index, person] of laptopHolders.entries()) {
    const model = models[index % 2]!;
    const asset = await insertRecord(tx, assetEntity, {
      name: model.name,
      assetTag: `OPS-${String(index + 1).padStart(4, '0')}`,
      serialNumber: `${model.brand.slice(0, 2).toUpperCase()}${(48_611 + index * 7919).toString(36).toUpperCase()}`,
      modelId: model.id,
      category: model.category,
      locationId: sites.get(person.location) ?? sites.get('London')!,
      purchaseDate: `202${3 + (index % 3)}-0${(index % 9) + 1}-15`,
      cost: model.cost,
      currency: 'EUR',
      warrantyMonths: 24,
      usefulLifeMonths: model.life,
      salvageValue: '150.00',
      critical: index < 2,
    });
    count++;
    if (index < 16)
      await checkOutAsset(tx, asset.id, { userId: person.id, notes: 'Issued at onboarding' }, undefined);
    if (index < 6) {
      const monitor = await insertRecord(tx, peripheralEntity, {
        name: `UltraSharp 27" #${index + 1}`,
        type: 'monitor',
        brandId: brands.get('Dell')!,
        modelId: models[2]!.id,
        serialNumber: `CN0${(90_000 + index * 131).toString(36).toUpperCase()}`,
        locationId: asset.locationId,
        purchaseDate: '2024-02-01',
        cost: '589.00',
        currency: 'EUR',
        warrantyMonths: 36,
      });
      await checkOutPeripheral(tx, monitor.id, { userId: person.id, assetId: asset.id }, undefined);
    }
  }
  for (let n = 1; n <= 4; n++) {
    await insertRecord(tx, peripheralEntity, {
      name: `Logitech dock #${n}`,
      type: 'dock',
      brandId: brands.get('Logitech')!,
      locationId: sites.get('London')!,
    });
  }
  // A spare laptop that broke, and an old one on its way out.
  const spare = await insertRecord(tx, assetEntity, {
    name: 'Spare laptop',
    assetTag: 'OPS-0900',
    modelId: models[1]!.id,
    category: 'Laptop',
    status: 'in_repair',
    locationId: sites.get('London')!,
    purchaseDate: '2023-05-10',
    cost: '1790.00',
    currency: 'EUR',
  });
  await insertRecord(tx, maintenanceLogEntity, {
    assetId: spare.id,
    type: 'repair',
    eventDate: '2026-11-02',
    description: 'Keyboard replaced under warranty',
    status: 'in_progress',
  });
  const retired = await insertRecord(tx, assetEntity, {
    name: 'Old MacBook Air',
    assetTag: 'OPS-0901',
    category: 'Laptop',
    status: 'awaiting_disposal',
    locationId: sites.get('Lisbon')!,
    purchaseDate: '2019-09-01',
    cost: '1199.00',
    currency: 'EUR',
  });
  count += 2;
  const products = [
    { name: 'Slack', publisher: 'Salesforce', category: 'Collaboration', seats: 40 },
    { name: '1Password Business', publisher: 'AgileBits', category: 'Security', seats: 25 },
  ];
  for (const product of products) {
    const software = await insertRecord(tx, softwareEntity, {
      name: product.name,
      publisher: product.publisher,
      category: product.category,
    });
    const licence = await insertRecord(tx, licenseEntity, {
      softwareId: software.id,
      name: `${product.name} annual`,
      seats: product.seats,
      purchaseDate: '2026-01-01',
      expiryDate: '2026-12-31',
      cost: product.name === 'Slack' ? '5760.00' : '2380.00',
      currency: 'EUR',
    });
    for (const person of people.slice(0, 10)) await assignSeat(tx, licence.id, { userId: person.id });
  }
  return { assets: count, retiredAssetId: retired.id };
}

/** The retired laptop's disposal, through the registry's create (its own transaction and rules). */
export async function disposeDemoLaptop(ctx: ServiceContext, assetId: string): Promise<void> {
  await createEntity(ctx, disposalEntity, {
    assetId,
    disposedOn: '2026-10-20',
    method: 'recycled',
    wipeMethod: 'NIST 800-88 purge',
    partner: 'GreenIT Recycling',
    notes: 'Certificate to follow.',
  });
}
