import { Module } from '@nestjs/common';
import { RiskController } from './risk.controller';
import { RiskScheduler } from './risk.scheduler';
import { RiskParametersService } from './risk-parameters.service';
import { RiskPreviewService } from './risk-preview.service';
import { RiskService } from './risk.service';

/** The risk engine: pure model (model.ts), set-based evidence (evidence.ts), snapshots and API. */
@Module({
  controllers: [RiskController],
  providers: [RiskService, RiskParametersService, RiskPreviewService, RiskScheduler],
  exports: [RiskService, RiskParametersService],
})
export class RiskModule {}
