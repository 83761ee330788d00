import type { ControlDefinition } from '../framework-model';

/** A control as the library writes it, before it is numbered among its siblings. */
export type ControlDraft = Omit<ControlDefinition, 'sortOrder'>;

/** A heading (clause, theme, category, family); `parentRefId` null at the top. */
export function group(
  refId: string,
  parentRefId: string | null,
  title: string,
  description?: string,
): ControlDraft {
  return withOptional({ refId, title, kind: 'group' }, parentRefId, description);
}

/** A requirement evidence is attached to. */
export function control(
  refId: string,
  parentRefId: string | null,
  title: string,
  description?: string,
): ControlDraft {
  return withOptional({ refId, title, kind: 'control' }, parentRefId, description);
}

/**
 * Numbers each draft among the drafts that share its parent, in the order given. The library lists
 * controls in document order, so that is the order users see.
 */
export function numberSiblings(drafts: readonly ControlDraft[]): ControlDefinition[] {
  const lastOrderByParent = new Map<string, number>();
  return drafts.map((draft) => {
    const parentKey = draft.parentRefId ?? '';
    const sortOrder = (lastOrderByParent.get(parentKey) ?? 0) + 1;
    lastOrderByParent.set(parentKey, sortOrder);
    return { ...draft, sortOrder };
  });
}

// Optional fields are left out rather than set to undefined, so the data compares cleanly.
function withOptional(draft: ControlDraft, parentRefId: string | null, description?: string): ControlDraft {
  return {
    ...draft,
    ...(parentRefId === null ? {} : { parentRefId }),
    ...(description === undefined ? {} : { description }),
  };
}
