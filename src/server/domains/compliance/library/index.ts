import type { ControlMappingDefinition, FrameworkDefinition } from '../framework-model';
import { ISO27001_2022 } from './iso27001-2022';
import { BUILTIN_MAPPINGS } from './mappings';
import { NIST_800_53_REV5 } from './nist-800-53-rev5';
import { NIST_CSF_2 } from './nist-csf-2';
import { SOC2_TSC_2017 } from './soc2-2017';

export { BUILTIN_MAPPINGS } from './mappings';

/** The frameworks OpsDeck installs with one click, in the order the library lists them. */
export const BUILTIN_FRAMEWORKS: readonly FrameworkDefinition[] = [
  ISO27001_2022,
  SOC2_TSC_2017,
  NIST_CSF_2,
  NIST_800_53_REV5,
];

export function findBuiltinFramework(key: string): FrameworkDefinition | undefined {
  return BUILTIN_FRAMEWORKS.find((framework) => framework.key === key);
}

/** The built-in mappings whose two ends are both among `keys` (the frameworks installed). */
export function builtinMappingsFor(keys: readonly string[]): ControlMappingDefinition[] {
  const wanted = new Set(keys);
  return BUILTIN_MAPPINGS.filter(
    (mapping) => wanted.has(mapping.fromFramework) && wanted.has(mapping.toFramework),
  );
}
