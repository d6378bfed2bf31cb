import { Appearance } from '../appearances/appearance.entity';
import { AppSecret } from '../auth/app-secret.entity';
import { AttemptCounter } from '../auth/attempt-counter.entity';
import { RevokedSession } from '../auth/revoked-session.entity';
import { AppearanceRecruiter } from '../appearances/appearance-recruiter.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { ApiToken } from '../tokens/api-token.entity';
import { ApiTokenUse } from '../tokens/api-token-use.entity';
import { Incident } from '../incidents/incident.entity';
import { Institution } from '../institutions/institution.entity';
import { Notification } from '../notifications/notification.entity';
import { Office } from '../offices/office.entity';
import { AppliedMitigation } from '../outcomes/applied-mitigation.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { ReceptionEntry } from '../reception/reception-entry.entity';
import { RiskAssessment } from '../risk/risk-assessment.entity';
import { RiskParameterSet } from '../risk/risk-parameter-set.entity';
import { RiskSetting } from '../risk/risk-setting.entity';
import { RiskStateTotals } from '../risk/risk-state-totals.entity';
import { RiskPendingState } from '../risk/risk-pending-state.entity';
import { User } from '../users/user.entity';
import { OfficeChat } from '../webhooks/office-chat.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';

/** Every entity, listed once: the app, the CLI DataSource and the tests use this list. */
export const ENTITIES = [
  Office,
  User,
  Institution,
  Appearance,
  AppearanceRecruiter,
  ReceptionEntry,
  Incident,
  RiskAssessment,
  RiskParameterSet,
  RiskSetting,
  RiskStateTotals,
  RiskPendingState,
  Notification,
  Outcome,
  AppliedMitigation,
  AuditEntry,
  AppSecret,
  AttemptCounter,
  RevokedSession,
  WebhookEndpoint,
  OfficeChat,
  ApiToken,
  ApiTokenUse,
];
