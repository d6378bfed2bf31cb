import { Module } from '@nestjs/common';
import { AppliedMitigationsService } from './applied-mitigations.service';
import { OutcomesController } from './outcomes.controller';
import { OutcomesService } from './outcomes.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Outcome } from './outcome.entity';
import { AppliedMitigation } from './applied-mitigation.entity';

/** Debriefs of appearances: filed after the appearance, editable for a window, audited. */
@Module({
  imports: [TypeOrmModule.forFeature([Outcome, AppliedMitigation])],
  controllers: [OutcomesController],
  providers: [OutcomesService, AppliedMitigationsService],
  exports: [OutcomesService, AppliedMitigationsService],
})
export class OutcomesModule {}
