import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { ReceptionController } from './reception.controller';
import { ReceptionService } from './reception.service';
import { TimelineService } from './timeline.service';

@Module({
  imports: [RiskModule],
  controllers: [ReceptionController],
  providers: [ReceptionService, TimelineService],
  exports: [ReceptionService, TimelineService],
})
export class ReceptionModule {}
