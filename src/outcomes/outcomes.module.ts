import { Module } from '@nestjs/common';
import { AppliedMitigationsService } from './applied-mitigations.service';
import { OutcomesController } from './outcomes.controller';
import { OutcomesService } from './outcomes.service';

/** Debriefs of appearances: filed after the appearance, editable for a window, audited. */
@Module({
  controllers: [OutcomesController],
  providers: [OutcomesService, AppliedMitigationsService],
  exports: [OutcomesService, AppliedMitigationsService],
})
export class OutcomesModule {}
