import { Initial1764400000000 } from './1764400000000-Initial';
import { RiskSnapshotOrder1795967104384 } from './1795967104384-RiskSnapshotOrder';
import { ReportIndexes1795967972345 } from './1795967972345-ReportIndexes';
import { AppearanceWindowCover1795968171844 } from './1795968171844-AppearanceWindowCover';
import { ReceptionSupersedesUnique1795968209957 } from './1795968209957-ReceptionSupersedesUnique';
import { RiskEvidenceIndexes1795969062734 } from './1795969062734-RiskEvidenceIndexes';
import { RiskSeqUnique1795972202658 } from './1795972202658-RiskSeqUnique';
import { ReportCoverIndexes1795973862492 } from './1795973862492-ReportCoverIndexes';
import { RiskSnapshotWriteIndexes1796100000000 } from './1796100000000-RiskSnapshotWriteIndexes';
import { RiskTopicsAndParameterSets1797000000000 } from './1797000000000-RiskTopicsAndParameterSets';
import { SecretsSessionsThrottles1797100000000 } from './1797100000000-SecretsSessionsThrottles';
import { IncidentTrendClusterIndex1797400000000 } from './1797400000000-IncidentTrendClusterIndex';
import { AppliedMitigations1797500000000 } from './1797500000000-AppliedMitigations';
import { WebhooksAndChat1798100000000 } from './1798100000000-WebhooksAndChat';
import { ApiTokens1798200000000 } from './1798200000000-ApiTokens';
import { AppearanceShortNotice1798800000000 } from './1798800000000-AppearanceShortNotice';
import { NotificationSubject1798800001000 } from './1798800001000-NotificationSubject';
import { RiskStateTotals1798900000000 } from './1798900000000-RiskStateTotals';
import { RiskDetailLz41799000000000 } from './1799000000000-RiskDetailLz4';
import { RiskPendingStates1799100000000 } from './1799100000000-RiskPendingStates';

/** Every migration in order (one per line, so parallel branches merge cleanly). Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: (new () => import('typeorm').MigrationInterface)[] = [
  Initial1764400000000,
  RiskSnapshotOrder1795967104384,
  ReportIndexes1795967972345,
  AppearanceWindowCover1795968171844,
  ReceptionSupersedesUnique1795968209957,
  RiskEvidenceIndexes1795969062734,
  RiskSeqUnique1795972202658,
  ReportCoverIndexes1795973862492,
  RiskSnapshotWriteIndexes1796100000000,
  RiskTopicsAndParameterSets1797000000000,
  SecretsSessionsThrottles1797100000000,
  IncidentTrendClusterIndex1797400000000,
  AppliedMitigations1797500000000,
  WebhooksAndChat1798100000000,
  ApiTokens1798200000000,
  AppearanceShortNotice1798800000000,
  NotificationSubject1798800001000,
  RiskStateTotals1798900000000,
  RiskDetailLz41799000000000,
  RiskPendingStates1799100000000,
];
