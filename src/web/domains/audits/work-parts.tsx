import { Anchor, Badge, Text } from '@mantine/core';
import { useState } from 'react';
import type { FieldDescriptor } from '../../api/entity-meta';
import { canRead, useSession } from '../../api/session';
import { FieldValue } from '../../generic/entity-fields';
import {
  FINDING_STATUS_COLORS,
  FINDING_STATUS_LABELS,
  type FindingSeverity,
  type FindingStatus,
  REQUEST_STATUS_COLORS,
  REQUEST_STATUS_LABELS,
  type RequestStatus,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
} from './audit-work.model';
import { useParticipants } from './audits.api';

/** Small pieces the drawer, the Findings tab and the Requests tab share. */

export function SeverityBadge({ severity }: { severity: FindingSeverity }) {
  return (
    <Badge
      miw="max-content"
      color={SEVERITY_COLORS[severity]}
      variant={severity === 'critical' ? 'filled' : 'light'}
    >
      {SEVERITY_LABELS[severity]}
    </Badge>
  );
}

export function FindingStatusBadge({ status }: { status: FindingStatus }) {
  return (
    <Badge miw="max-content" color={FINDING_STATUS_COLORS[status]} variant="light">
      {FINDING_STATUS_LABELS[status]}
    </Badge>
  );
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return (
    <Badge miw="max-content" color={REQUEST_STATUS_COLORS[status]} variant="light">
      {REQUEST_STATUS_LABELS[status]}
    </Badge>
  );
}

/**
 * Names the people of an audit from its participants (who always may read them): "you" for the
 * actor, the participant's name, else null (someone not on the audit).
 */
export function usePeopleNames(auditId: string): (userId: string | null) => string | null {
  const session = useSession();
  const participants = useParticipants(auditId);
  return (userId) => {
    if (!userId) return null;
    if (userId === session.user.id) return 'you';
    return participants.data?.find((participant) => participant.userId === userId)?.name ?? null;
  };
}

/** Who asked for evidence or raised a finding, as the API names them: "you" for the actor. */
export function useAuthorName(): (record: {
  createdBy: string | null;
  createdByName: string | null;
}) => string {
  const session = useSession();
  return (record) => (record.createdBy === session.user.id ? 'you' : (record.createdByName ?? 'someone'));
}

const OWNER_FIELD: FieldDescriptor = {
  name: 'ownerUserId',
  label: 'Owner',
  kind: 'uuid',
  reference: 'user',
  required: false,
  nullable: true,
  creatable: true,
  updatable: true,
};

/** A finding's owner: from the audit's people, else from the directory for those who read it. */
export function OwnerName({ auditId, userId }: { auditId: string; userId: string | null }) {
  const session = useSession();
  const nameOf = usePeopleNames(auditId);
  if (!userId) return <>—</>;
  const name = nameOf(userId);
  if (name) return <>{name}</>;
  if (canRead(session, 'hr_people')) return <FieldValue field={OWNER_FIELD} value={userId} />;
  return <>someone not on the audit</>;
}

/**
 * A control of the audit by its reference (as the finding or request names it), opening its
 * drawer when `onOpen` is given; no reference is the audit as a whole.
 */
export function ControlRef({ refId, onOpen }: { refId: string | null; onOpen?: () => void }) {
  if (!refId)
    return (
      <Text size="sm" c="dimmed">
        The whole audit
      </Text>
    );
  if (!onOpen)
    return (
      <Text size="sm" ff="monospace">
        {refId}
      </Text>
    );
  return (
    <Anchor
      component="button"
      type="button"
      size="sm"
      ff="monospace"
      onClick={onOpen}
      aria-label={`${refId}: open the control`}
      style={{ whiteSpace: 'nowrap' }}
    >
      {refId}
    </Anchor>
  );
}

/** A form's errors by field; a field's error goes as soon as it is edited. */
export function useFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const clear = (field: string) =>
    setErrors((current) => {
      if (!(field in current)) return current;
      const { [field]: _gone, ...rest } = current;
      return rest;
    });
  return [errors, setErrors, clear] as const;
}
