import { useMemo, useRef, useState } from 'react';
import { isApiError } from '../api/client';

export type FormValues = Record<string, unknown>;

/** Client-side rules, checked as the user types; the server stays the authority. */
export interface FieldRule {
  label: string;
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  /** Bounds of a number, inclusive. */
  min?: number;
  max?: number;
  integer?: boolean;
  pattern?: RegExp;
  patternMessage?: string;
}

/** Someone saved the record while this user was editing it (HTTP 409). */
export interface VersionConflict<V extends FormValues> {
  theirs: V;
  version: number;
  /** Fields the other person changed, compared with what this form started from. */
  changedByThem: string[];
  /** Fields this user changed. */
  changedByMe: string[];
}

export interface SubmitInput<V extends FormValues> {
  values: V;
  /** Only what changed since the record was loaded (custom fields key by key). */
  changes: Record<string, unknown>;
  version: number | undefined;
}

export function getPath(values: FormValues, path: string): unknown {
  const [head, ...rest] = path.split('.');
  const value = values[head!];
  if (rest.length === 0) return value;
  return value && typeof value === 'object' ? getPath(value as FormValues, rest.join('.')) : undefined;
}

export function setPath<V extends FormValues>(values: V, path: string, value: unknown): V {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...values, [head!]: value };
  const inner = (values[head!] as FormValues | undefined) ?? {};
  return { ...values, [head!]: setPath(inner, rest.join('.'), value) };
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isBlank(a) && isBlank(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Leaf paths that differ; plain objects (custom fields) are compared key by key. */
export function changedPaths(before: FormValues, after: FormValues, prefix = ''): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const paths: string[] = [];
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObject(a) || isObject(b)) {
      paths.push(...changedPaths((a as FormValues) ?? {}, (b as FormValues) ?? {}, `${prefix}${key}.`));
    } else if (!sameValue(a, b)) {
      paths.push(`${prefix}${key}`);
    }
  }
  return paths;
}

export function checkRule(rule: FieldRule, value: unknown): string | undefined {
  if (rule.required && (isBlank(value) || (Array.isArray(value) && value.length === 0))) {
    return `${rule.label} is required`;
  }
  if (typeof value === 'string' && rule.maxLength !== undefined && value.length > rule.maxLength) {
    return `${rule.label} must be at most ${rule.maxLength} characters (now ${value.length})`;
  }
  if (
    typeof value === 'string' &&
    value !== '' &&
    rule.minLength !== undefined &&
    value.trim().length < rule.minLength
  ) {
    return `${rule.label} must be at least ${rule.minLength} characters`;
  }
  if (typeof value === 'number') {
    if (rule.integer && !Number.isInteger(value)) return `${rule.label} must be a whole number`;
    if (rule.min !== undefined && value < rule.min) return `${rule.label} must be at least ${rule.min}`;
    if (rule.max !== undefined && value > rule.max) return `${rule.label} must be at most ${rule.max}`;
  }
  if (typeof value === 'string' && value !== '' && rule.pattern && !rule.pattern.test(value)) {
    return rule.patternMessage ?? `${rule.label} is not valid`;
  }
  return undefined;
}

export interface UseRecordFormOptions<V extends FormValues> {
  initialValues: V;
  rules?: Record<string, FieldRule>;
  /** The version of the record being edited; absent when creating. */
  version?: number;
  /** Turns the newer record a 409 carries into form values. */
  fromRecord?: (record: unknown) => V;
}

/**
 * Form state for creating and editing records: values, live validation, server field errors by
 * path (`email`, `customFields.costCenter`), dirty tracking and version-conflict resolution.
 */
const NO_RULES: Record<string, FieldRule> = {};

export function useRecordForm<V extends FormValues>(options: UseRecordFormOptions<V>) {
  const rules = options.rules ?? NO_RULES;
  const [base, setBase] = useState<V>(options.initialValues);
  const [values, setValues] = useState<V>(options.initialValues);
  const [version, setVersion] = useState(options.version);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<VersionConflict<V> | null>(null);
  const [submitting, setSubmitting] = useState(false);
  /** Set once saved, so leaving right after saving is not treated as abandoning edits. */
  const savedRef = useRef(false);

  const clientErrors = useMemo(() => {
    const errors: Record<string, string> = {};
    for (const [path, rule] of Object.entries(rules)) {
      const error = checkRule(rule, getPath(values, path));
      if (error) errors[path] = error;
    }
    return errors;
  }, [rules, values]);

  const changed = useMemo(() => changedPaths(base, values), [base, values]);
  const dirty = changed.length > 0;

  const errorFor = (path: string): string | undefined =>
    serverErrors[path] ?? (touched.has(path) || submitted ? clientErrors[path] : undefined);

  const setValue = (path: string, value: unknown) => {
    savedRef.current = false;
    setValues((current) => setPath(current, path, value));
    setTouched((current) => (current.has(path) ? current : new Set([...current, path])));
    setServerErrors((current) => {
      if (!(path in current)) return current;
      const { [path]: _removed, ...rest } = current;
      return rest;
    });
  };

  const markTouched = (path: string) =>
    setTouched((current) => (current.has(path) ? current : new Set([...current, path])));

  /** Top-level fields that changed; nested objects carry only their changed keys. */
  const changes = (): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const path of changed) {
      const [head, ...rest] = path.split('.');
      if (rest.length === 0) result[head!] = getPath(values, path);
      else
        result[head!] = setPath((result[head!] as FormValues) ?? {}, rest.join('.'), getPath(values, path));
    }
    return result;
  };

  /** After a save (or when the record reloads): this is the new starting point. */
  const reset = (nextValues: V, nextVersion?: number) => {
    setBase(nextValues);
    setValues(nextValues);
    setVersion(nextVersion);
    setTouched(new Set());
    setSubmitted(false);
    setServerErrors({});
    setFormError(null);
    setConflict(null);
  };

  const applyError = (error: unknown): void => {
    if (isApiError(error, 409) && error.problem.current && options.fromRecord) {
      const current = error.problem.current as { version: number };
      const theirs = options.fromRecord(current);
      setConflict({
        theirs,
        version: current.version,
        changedByThem: changedPaths(base, theirs),
        changedByMe: changed,
      });
      return;
    }
    if (isApiError(error) && error.fieldErrors.length > 0) {
      const byPath: Record<string, string> = {};
      const unplaced: string[] = [];
      for (const fieldError of error.fieldErrors) {
        const known = fieldError.path in rules || getPath(values, fieldError.path) !== undefined;
        const label = rules[fieldError.path]?.label;
        if (known) byPath[fieldError.path] = label ? `${label} ${fieldError.message}` : fieldError.message;
        else unplaced.push(`${fieldError.path}: ${fieldError.message}`);
      }
      setServerErrors(byPath);
      setFormError(
        unplaced.length > 0
          ? unplaced.join('; ')
          : 'Some fields need attention: see the messages next to them.',
      );
      return;
    }
    setFormError(isApiError(error) ? error.summary : error instanceof Error ? error.message : String(error));
  };

  const submit = async <R>(
    action: (input: SubmitInput<V>) => Promise<R>,
    onSaved?: (result: R) => void,
  ): Promise<boolean> => {
    setSubmitted(true);
    setFormError(null);
    if (Object.keys(clientErrors).length > 0) return false;
    setSubmitting(true);
    try {
      const result = await action({ values, changes: changes(), version });
      savedRef.current = true;
      setBase(values);
      setConflict(null);
      onSaved?.(result);
      return true;
    } catch (error) {
      applyError(error);
      return false;
    } finally {
      setSubmitting(false);
    }
  };

  /** Keep my edits on top of the newer record; the next save is based on its version. */
  const reapplyMine = () => {
    if (!conflict) return;
    let next = conflict.theirs;
    for (const path of conflict.changedByMe) next = setPath(next, path, getPath(values, path));
    setBase(conflict.theirs);
    setValues(next);
    setVersion(conflict.version);
    setConflict(null);
    setFormError(null);
  };

  const discardMine = () => {
    if (!conflict) return;
    reset(conflict.theirs, conflict.version);
  };

  return {
    values,
    base,
    version,
    rules,
    dirty,
    changed,
    submitting,
    formError,
    conflict,
    savedRef,
    clientErrors,
    errorFor,
    setValue,
    markTouched,
    submit,
    reset,
    reapplyMine,
    discardMine,
    /** Props for Mantine text inputs (TextInput, Textarea, PasswordInput). */
    text: (path: string) => ({
      value: (getPath(values, path) as string | null | undefined) ?? '',
      onChange: (event: { currentTarget: { value: string } }) => setValue(path, event.currentTarget.value),
      onBlur: () => markTouched(path),
      error: errorFor(path),
      required: rules[path]?.required,
    }),
    /** Props for Select and other `(value) => void` inputs. */
    select: (path: string) => ({
      value: (getPath(values, path) as string | null | undefined) ?? null,
      onChange: (value: string | null) => setValue(path, value),
      onBlur: () => markTouched(path),
      error: errorFor(path),
      required: rules[path]?.required,
    }),
    checkbox: (path: string) => ({
      checked: Boolean(getPath(values, path)),
      onChange: (event: { currentTarget: { checked: boolean } }) =>
        setValue(path, event.currentTarget.checked),
      error: errorFor(path),
    }),
  };
}

export type RecordFormState<V extends FormValues> = ReturnType<typeof useRecordForm<V>>;
