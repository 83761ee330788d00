import { describe, expect, it } from 'vitest';
import { type ControlDefinition, FRAMEWORK_LIMITS, type FrameworkDefinition } from '../framework-model';
import { parseFrameworkCsv, toFrameworkCsv } from './csv';
import { capProblems, checkFramework, type FrameworkLocator, MAX_PROBLEMS } from './framework-checks';
import { parseOscalCatalog } from './oscal-catalog';
import { toOscalCatalog } from './oscal-export';

const locate: FrameworkLocator = {
  control: (index, field) => ({ path: `controls[${index}]`, ...(field ? { field } : {}) }),
  framework: (field) => ({ path: field }),
};

const control = (refId: string, parentRefId?: string): ControlDefinition => ({
  refId,
  title: `Title ${refId}`,
  sortOrder: 1,
  kind: 'control',
  ...(parentRefId ? { parentRefId } : {}),
});

const def = (controls: ControlDefinition[]): FrameworkDefinition => ({ key: 'k', name: 'N', controls });

/** 40 groups of 30 controls, each control with parameters in its prose. */
function generatedCatalog() {
  return {
    catalog: {
      uuid: '11111111-2222-4333-8444-555555555555',
      metadata: { title: 'Generated', version: '1' },
      groups: Array.from({ length: 40 }, (_, g) => ({
        id: `g${g}`,
        title: `Group ${g}`,
        params: [{ id: `g${g}_prm`, values: ['monthly'] }],
        controls: Array.from({ length: 29 }, (_, c) => ({
          id: `g${g}-${c}`,
          title: `Control ${c}`,
          params: [{ id: `g${g}-${c}_prm`, label: 'someone' }],
          parts: [
            {
              name: 'statement',
              prose: `Review {{ insert: param, g${g}_prm }} by {{ insert: param, g${g}-${c}_prm }}.`,
            },
          ],
        })),
      })),
    },
  };
}

describe('checkFramework', () => {
  it('passes a sound framework', () => {
    expect(checkFramework(def([control('A'), control('A.1', 'A')]), locate)).toEqual([]);
  });

  it('refuses NUL characters, which PostgreSQL cannot store', () => {
    expect(checkFramework(def([{ ...control('A'), guidance: 'a\u0000b' }]), locate)).toEqual([
      { path: 'controls[0]', field: 'guidance', message: 'The guidance must not contain NUL characters.' },
    ]);
  });

  it('reports a cycle once and the controls hanging from it not at all', () => {
    const problems = checkFramework(
      def([control('A', 'C'), control('B', 'A'), control('C', 'B'), control('D', 'A')]),
      locate,
    );
    expect(problems.map((p) => p.message)).toEqual(['The parents form a cycle: A → C → B → A.']);
    expect(checkFramework(def([control('S', 'S')]), locate)[0]!.message).toBe(
      'The parents form a cycle: S → S.',
    );
  });

  it('checks a chain of 5,000 controls without recursion', () => {
    const chain = Array.from({ length: FRAMEWORK_LIMITS.maxControls }, (_, i) =>
      control(`c${i}`, i > 0 ? `c${i - 1}` : undefined),
    );
    const problems = checkFramework(def(chain), locate);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: `controls[${FRAMEWORK_LIMITS.maxDepth}]`,
      field: 'parentRefId',
    });
  });

  it('refuses more controls than the limit', () => {
    const many = Array.from({ length: FRAMEWORK_LIMITS.maxControls + 1 }, (_, i) => control(`c${i}`));
    expect(checkFramework(def(many), locate)).toEqual([
      { path: '$', message: 'The framework has 5001 controls and groups; at most 5000 are allowed.' },
    ]);
  });

  it('lists at most MAX_PROBLEMS problems and counts the rest', () => {
    const list = Array.from({ length: MAX_PROBLEMS + 7 }, (_, i) => ({ path: `p${i}`, message: 'x' }));
    const capped = capProblems(list);
    expect(capped).toHaveLength(MAX_PROBLEMS + 1);
    expect(capped.at(-1)).toEqual({ path: '$', message: '7 more problems not listed; fix these first.' });
  });
});

describe('1,200 generated controls', () => {
  it('go through OSCAL and CSV readers and writers', () => {
    const result = parseOscalCatalog(generatedCatalog());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const fw = result.framework;
    expect(fw.controls).toHaveLength(1200);
    expect(fw.controls[1]!.description).toBe('Review monthly by [Assignment: someone].');
    const again = parseOscalCatalog(toOscalCatalog(fw));
    expect(again.ok && again.framework.controls).toEqual(fw.controls);
    const csv = parseFrameworkCsv(new TextEncoder().encode(toFrameworkCsv(fw)), { name: 'Generated' });
    expect(csv.ok && csv.framework.controls).toEqual(fw.controls);
  });
});
