import { createHash } from 'node:crypto';
import type { ControlDefinition, FrameworkDefinition } from '../framework-model';
import { childrenByParent } from './framework-tree';

/**
 * A framework as an OSCAL 1.1.2 catalog: `group` entries become groups, controls nest their
 * enhancements, the refId travels as the `label` prop (so reading the catalog back gives the same
 * references), the description as the statement and the guidance as the guidance part.
 *
 * OSCAL cannot put a group inside a control: such an entry is written as a control. A framework
 * without a version is written as version "unversioned", since OSCAL requires one.
 */

export const OSCAL_VERSION = '1.1.2';

/** OSCAL's token: a letter or `_`, then letters, digits, `_`, `.` or `-`. */
const OSCAL_TOKEN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** A fixed namespace for the name-based (version 5) UUIDs this writer derives. */
const UUID_NAMESPACE = 'b6f1a7a2-3c84-5d1e-9f0a-6e2d4c8b1a37';

type OscalProp = { name: string; value: string };
type OscalPart = { id: string; name: string; prose: string };

interface OscalControl {
  id: string;
  title: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}

interface OscalGroup {
  id: string;
  title: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
}

export interface OscalCatalogDocument {
  catalog: {
    uuid: string;
    metadata: Record<string, unknown>;
    groups?: OscalGroup[];
    controls?: OscalControl[];
  };
}

/**
 * A version 5 UUID (RFC 9562) from `name`: the same framework exported twice gets the same uuid,
 * so a re-import updates the framework instead of adding a copy. A key that is a UUID is kept.
 */
export function uuidFor(name: string): string {
  if (UUID.test(name)) return name.toLowerCase();
  const namespace = Buffer.from(UUID_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `AC-2(1)` → `ac-2.1`, `A.5.1` → `a.5.1`, `4.1` → `_4.1`: NIST's own id style where it fits. */
export function oscalIdFor(refId: string): string {
  const token = refId
    .toLowerCase()
    .replace(/\s*\(\s*([a-z0-9]+)\s*\)/g, '.$1')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-*\.[-.]*/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (!token) return 'control';
  return /^[a-z_]/.test(token) ? token : `_${token}`;
}

export function toOscalCatalog(def: FrameworkDefinition): OscalCatalogDocument {
  const ids = assignIds(def.controls);
  const children = childrenByParent(def.controls);

  const props = (control: ControlDefinition): OscalProp[] => [
    { name: 'label', value: control.refId },
    ...(control.withdrawn ? [{ name: 'status', value: 'withdrawn' }] : []),
  ];
  const parts = (control: ControlDefinition, id: string, text: 'statement' | 'overview'): OscalPart[] => [
    ...(control.description
      ? [{ id: `${id}_${text === 'statement' ? 'smt' : 'ovw'}`, name: text, prose: control.description }]
      : []),
    ...(control.guidance ? [{ id: `${id}_gdn`, name: 'guidance', prose: control.guidance }] : []),
  ];
  const toControl = (control: ControlDefinition): OscalControl => {
    const id = ids.get(control)!;
    const nested = (children.get(control.refId) ?? []).map(toControl);
    const controlParts = parts(control, id, 'statement');
    return {
      id,
      title: control.title,
      props: props(control),
      ...(controlParts.length > 0 ? { parts: controlParts } : {}),
      ...(nested.length > 0 ? { controls: nested } : {}),
    };
  };
  const toGroup = (group: ControlDefinition): OscalGroup => {
    const id = ids.get(group)!;
    const inside = children.get(group.refId) ?? [];
    const groups = inside.filter((child) => child.kind === 'group').map(toGroup);
    const controls = inside.filter((child) => child.kind === 'control').map(toControl);
    const groupParts = parts(group, id, 'overview');
    return {
      id,
      title: group.title,
      props: props(group),
      ...(groupParts.length > 0 ? { parts: groupParts } : {}),
      ...(groups.length > 0 ? { groups } : {}),
      ...(controls.length > 0 ? { controls } : {}),
    };
  };

  const top = children.get(undefined) ?? [];
  const groups = top.filter((entry) => entry.kind === 'group').map(toGroup);
  const controls = top.filter((entry) => entry.kind === 'control').map(toControl);
  const partyUuid = uuidFor(`${def.key}#publisher`);
  return {
    catalog: {
      uuid: uuidFor(def.key),
      metadata: {
        title: def.name,
        'last-modified': new Date().toISOString(),
        version: def.version ?? 'unversioned',
        'oscal-version': OSCAL_VERSION,
        ...(def.publisher
          ? {
              roles: [{ id: 'creator', title: 'Document Creator' }],
              parties: [{ uuid: partyUuid, type: 'organization', name: def.publisher }],
              'responsible-parties': [{ 'role-id': 'creator', 'party-uuids': [partyUuid] }],
            }
          : {}),
        ...(def.description ? { remarks: def.description } : {}),
      },
      ...(controls.length > 0 ? { controls } : {}),
      ...(groups.length > 0 ? { groups } : {}),
    },
  };
}

/**
 * One OSCAL id per entry: its `sourceId` when that is a valid token, else one derived from the
 * refId; a clash (two refIds that differ only in case or punctuation) gets `-2`, `-3`…
 */
function assignIds(controls: ControlDefinition[]): Map<ControlDefinition, string> {
  const ids = new Map<ControlDefinition, string>();
  const used = new Set<string>();
  for (const control of controls) {
    const wanted =
      control.sourceId && OSCAL_TOKEN.test(control.sourceId) ? control.sourceId : oscalIdFor(control.refId);
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    used.add(id);
    ids.set(control, id);
  }
  return ids;
}
