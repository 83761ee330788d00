import {
  assetImport,
  assetModelImport,
  licenseImport,
  locationImport,
  peripheralImport,
  softwareImport,
} from './domains/assets/assets.import';
import type { ImportAdapter } from './platform/imports/adapter';

/**
 * The composition root of CSV imports, like `entities.ts` for the registry: every entity that can
 * be imported, with the adapter saying how. Each is served at `POST /api/v1/imports/<path>`.
 */
export const importAdapters: ImportAdapter[] = [
  locationImport,
  assetModelImport,
  assetImport,
  peripheralImport,
  softwareImport,
  licenseImport,
];
