import type { ControlDefinition } from '../framework-model';

/** Walking a framework's hierarchy for the writers, whatever order its controls are listed in. */

/**
 * Children by parent refId, siblings by `sortOrder` (then as listed); the top level under
 * `undefined`, with controls whose parent is not in the list.
 */
export function childrenByParent(
  controls: ControlDefinition[],
): Map<string | undefined, ControlDefinition[]> {
  const known = new Set(controls.map((control) => control.refId));
  const children = new Map<string | undefined, ControlDefinition[]>();
  for (const control of controls) {
    const parent = control.parentRefId && known.has(control.parentRefId) ? control.parentRefId : undefined;
    const list = children.get(parent);
    if (list) list.push(control);
    else children.set(parent, [control]);
  }
  for (const list of children.values()) list.sort((a, b) => a.sortOrder - b.sortOrder);
  return children;
}

/**
 * Controls depth-first, siblings by `sortOrder` (then as listed). Controls in a parent cycle, which
 * no walk from the top reaches, come last in their listed order: writers never drop anything.
 */
export function inTreeOrder(controls: ControlDefinition[]): ControlDefinition[] {
  const children = childrenByParent(controls);
  const ordered: ControlDefinition[] = [];
  const placed = new Set<ControlDefinition>();
  const stack = [...(children.get(undefined) ?? [])].reverse();
  while (stack.length > 0) {
    const control = stack.pop()!;
    if (placed.has(control)) continue;
    placed.add(control);
    ordered.push(control);
    const own = children.get(control.refId);
    // A refId used twice would list the same children twice; `placed` keeps each once.
    if (own) for (let i = own.length - 1; i >= 0; i--) stack.push(own[i]!);
  }
  for (const control of controls) if (!placed.has(control)) ordered.push(control);
  return ordered;
}
