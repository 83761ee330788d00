import { Select } from '@mantine/core';
import { resourceFromMeta, titleOf, useEntityMetas } from '../../api/entity-meta';
import type { BaseRecord } from '../../api/types';
import { RecordPicker } from '../../components/record-picker';
import { isEvidenceType } from './evidence.api';

type AnyRecord = BaseRecord & Record<string, unknown>;

/**
 * A record of any kind that may serve as evidence: its kind first, then the record, searchable.
 * Used wherever a record is named as evidence (a control's links, evidence added during an audit).
 * Choosing another kind clears the record.
 */
export function EvidenceRecordPicker({
  type,
  recordId,
  onTypeChange,
  onRecordChange,
  typeError,
  recordError,
}: {
  type: string | null;
  recordId: string | null;
  onTypeChange: (type: string | null) => void;
  onRecordChange: (id: string | null) => void;
  typeError?: string;
  recordError?: string;
}) {
  const metas = useEntityMetas();
  const types = (metas.data ?? [])
    .filter(isEvidenceType)
    .sort((a, b) => a.labels.singular.localeCompare(b.labels.singular));
  const meta = types.find((candidate) => candidate.type === type);
  return (
    <>
      <Select
        label="Kind of record"
        placeholder="Asset, location, software…"
        data={types.map((candidate) => ({ value: candidate.type, label: candidate.labels.singular }))}
        value={type}
        onChange={(value) => {
          onTypeChange(value);
          onRecordChange(null);
        }}
        error={typeError}
        searchable
        required
      />
      {meta ? (
        <RecordPicker<AnyRecord>
          key={meta.type}
          definition={resourceFromMeta(meta)}
          label="Record"
          value={recordId}
          onChange={onRecordChange}
          optionLabel={(record) => titleOf(meta, record)}
          error={recordError}
          required
        />
      ) : (
        <Select label="Record" placeholder="Choose the kind of record first" data={[]} disabled />
      )}
    </>
  );
}
