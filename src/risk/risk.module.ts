import { Module } from '@nestjs/common';
import { RiskController } from './risk.controller';
import { RiskScheduler } from './risk.scheduler';
import { RiskParametersService } from './risk-parameters.service';
import { RiskPreviewService } from './risk-preview.service';
import { RiskService } from './risk.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RiskAssessment } from './risk-assessment.entity';
import { RiskParameterSet } from './risk-parameter-set.entity';
import { RiskSetting } from './risk-setting.entity';
import { RiskStateTotals } from './risk-state-totals.entity';
import { RiskPendingState } from './risk-pending-state.entity';

/** The risk engine: pure model (model.ts), set-based evidence (evidence.ts), snapshots and API. */
@Module({
  imports: [TypeOrmModule.forFeature([RiskAssessment, RiskParameterSet, RiskSetting, RiskStateTotals, RiskPendingState])],
  controllers: [RiskController],
  providers: [RiskService, RiskParametersService, RiskPreviewService, RiskScheduler],
  exports: [RiskService, RiskParametersService],
})
export class RiskModule {}
