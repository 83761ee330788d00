import { hasNoNul, NUL_MESSAGE } from '../../../platform/http/schemas';
import {
  type ControlDefinition,
  FRAMEWORK_LIMITS,
  type FrameworkDefinition,
  type FrameworkFormatProblem,
  type FrameworkParseResult,
} from '../framework-model';

/**
 * The checks every reader ends with, so that each format only translates its own shape and the
 * rules (limits, unique refIds, known parents, no cycles, bounded depth) live in one place.
 */

/** A document with thousands of mistakes answers the first ones and a count of the rest. */
export const MAX_PROBLEMS = 200;

export type ProblemPlace = Omit<FrameworkFormatProblem, 'message'>;
export type FrameworkField = 'key' | 'name' | 'version' | 'publisher' | 'description';

/** Where each control, and each of its fields, came from in the source document. */
export interface FrameworkLocator {
  control(index: number, field?: keyof ControlDefinition): ProblemPlace;
  framework(field: FrameworkField): ProblemPlace;
}

export const problemAt = (place: ProblemPlace, message: string): FrameworkFormatProblem => ({
  ...place,
  message,
});

/** The first MAX_PROBLEMS problems, then one line saying how many more there are. */
export function capProblems(problems: FrameworkFormatProblem[]): FrameworkFormatProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.length - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    { path: '$', message: `${rest} more problem${rest === 1 ? '' : 's'} not listed; fix these first.` },
  ];
}

/** Checks `framework` and answers it, or every problem found by the reader and by the checks. */
export function finishFramework(
  framework: FrameworkDefinition,
  locate: FrameworkLocator,
  readerProblems: FrameworkFormatProblem[],
  warnings: FrameworkFormatProblem[],
): FrameworkParseResult {
  // "No controls" says nothing new when the reader already refused what it found.
  const checks = checkFramework(framework, locate, { allowEmpty: readerProblems.length > 0 });
  // A place the reader already complained about (a missing uuid, say) is not reported twice.
  const place = (problem: FrameworkFormatProblem) => `${problem.path}\u0000${problem.field ?? ''}`;
  const reported = new Set(readerProblems.map(place));
  const problems = [...readerProblems, ...checks.filter((problem) => !reported.has(place(problem)))];
  // A spreadsheet's problems read best top to bottom (the sort is stable within a row).
  if (problems.every((problem) => problem.row !== undefined)) problems.sort((a, b) => a.row! - b.row!);
  if (problems.length > 0) return { ok: false, problems: capProblems(problems) };
  return { ok: true, framework, warnings: capProblems(warnings) };
}

function checkText(
  problems: FrameworkFormatProblem[],
  place: ProblemPlace,
  label: string,
  value: string | undefined,
  max: number,
  required: boolean,
): void {
  if (value === undefined || value === '') {
    if (required) problems.push(problemAt(place, `${label} is required.`));
    return;
  }
  if (value.length > max) {
    problems.push(problemAt(place, `${label} holds ${value.length} characters; at most ${max} are allowed.`));
  }
  if (!hasNoNul(value)) problems.push(problemAt(place, `${label} ${NUL_MESSAGE}.`));
}

export function checkFramework(
  framework: FrameworkDefinition,
  locate: FrameworkLocator,
  options: { allowEmpty?: boolean } = {},
): FrameworkFormatProblem[] {
  const problems: FrameworkFormatProblem[] = [];
  const L = FRAMEWORK_LIMITS;
  checkText(problems, locate.framework('key'), 'The framework id', framework.key, L.nameLength, true);
  checkText(problems, locate.framework('name'), 'The framework name', framework.name, L.nameLength, true);
  checkText(problems, locate.framework('version'), 'The version', framework.version, L.nameLength, false);
  checkText(
    problems,
    locate.framework('publisher'),
    'The publisher',
    framework.publisher,
    L.nameLength,
    false,
  );
  checkText(
    problems,
    locate.framework('description'),
    'The description',
    framework.description,
    L.textLength,
    false,
  );
  const { controls } = framework;
  if (controls.length > L.maxControls) {
    problems.push({
      path: '$',
      message: `The framework has ${controls.length} controls and groups; at most ${L.maxControls} are allowed.`,
    });
    return problems;
  }
  if (controls.length === 0 && !options.allowEmpty)
    problems.push({ path: '$', message: 'The framework has no controls.' });

  const indexByRefId = new Map<string, number>();
  controls.forEach((control, index) => {
    const at = (field: keyof ControlDefinition) => locate.control(index, field);
    checkText(problems, at('refId'), 'The reference', control.refId, L.refIdLength, true);
    checkText(problems, at('title'), 'The title', control.title, L.titleLength, true);
    checkText(problems, at('description'), 'The description', control.description, L.textLength, false);
    checkText(problems, at('guidance'), 'The guidance', control.guidance, L.textLength, false);
    checkText(problems, at('sourceId'), 'The source id', control.sourceId, L.refIdLength, false);
    if (!control.refId) return;
    const first = indexByRefId.get(control.refId);
    if (first === undefined) indexByRefId.set(control.refId, index);
    else {
      problems.push(
        problemAt(
          at('refId'),
          `The reference "${control.refId}" is used twice (first at ${locate.control(first).path}).`,
        ),
      );
    }
  });
  checkHierarchy(controls, indexByRefId, locate, problems);
  return problems;
}

/**
 * Unknown parents, cycles and depth in one pass: each control's depth is computed once, walking up
 * until a control whose depth is known, so the whole check is linear in the number of controls.
 */
function checkHierarchy(
  controls: ControlDefinition[],
  indexByRefId: Map<string, number>,
  locate: FrameworkLocator,
  problems: FrameworkFormatProblem[],
): void {
  const parentIndex = controls.map((control, index) => {
    if (control.parentRefId === undefined || control.parentRefId === '') return -1;
    const parent = indexByRefId.get(control.parentRefId);
    if (parent === undefined) {
      problems.push(
        problemAt(
          locate.control(index, 'parentRefId'),
          `The parent "${control.parentRefId}" is not a reference of this framework.`,
        ),
      );
      return -1;
    }
    return parent;
  });
  // 0: not yet seen, -1: on the current walk, -2: part of a cycle, > 0: depth (1 at the top).
  const depth = new Array<number>(controls.length).fill(0);
  for (let start = 0; start < controls.length; start++) {
    const walk: number[] = [];
    let current = start;
    while (current !== -1 && depth[current] === 0) {
      depth[current] = -1;
      walk.push(current);
      current = parentIndex[current]!;
    }
    let base = current === -1 ? 0 : depth[current]!;
    if (base === -1) {
      // The walk came back to itself: the controls from `current` on form a cycle.
      const cycle = walk.slice(walk.indexOf(current));
      for (const index of cycle) depth[index] = -2;
      const names = cycle.slice(0, 10).map((index) => controls[index]!.refId);
      problems.push(
        problemAt(
          locate.control(current, 'parentRefId'),
          `The parents form a cycle: ${names.join(' → ')} → ${names[0]}.`,
        ),
      );
      walk.length -= cycle.length;
      base = -2;
    }
    for (let i = walk.length - 1; i >= 0; i--) {
      const index = walk[i]!;
      if (base === -2) {
        depth[index] = -2;
        continue;
      }
      base += 1;
      depth[index] = base;
      if (base === FRAMEWORK_LIMITS.maxDepth + 1) {
        problems.push(
          problemAt(
            locate.control(index, 'parentRefId'),
            `"${controls[index]!.refId}" is nested ${base} levels deep; at most ${FRAMEWORK_LIMITS.maxDepth} are allowed.`,
          ),
        );
      }
    }
  }
}

/** Numbers siblings 1, 2, 3… in the order they come, for sources that give no order of their own. */
export function siblingCounter(): (parentRefId: string | undefined) => number {
  const counts = new Map<string, number>();
  return (parentRefId) => {
    const key = parentRefId ?? '\u0000top';
    const next = (counts.get(key) ?? 0) + 1;
    counts.set(key, next);
    return next;
  };
}

/** Trimmed text, or undefined when there is none. */
export function cleanText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Runs a reader so that no input, however odd, makes it throw. */
export function neverThrow(read: () => FrameworkParseResult): FrameworkParseResult {
  try {
    return read();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '$', message: `The document could not be read: ${detail}` }] };
  }
}
