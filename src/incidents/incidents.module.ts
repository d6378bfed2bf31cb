import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { RetentionService } from './retention.service';

@Module({
  imports: [RiskModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, RetentionService],
  exports: [IncidentsService, RetentionService],
})
export class IncidentsModule {}
