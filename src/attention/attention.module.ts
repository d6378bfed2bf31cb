import { Module } from '@nestjs/common';
import { AppearancesModule } from '../appearances/appearances.module';
import { OutcomesModule } from '../outcomes/outcomes.module';
import { AttentionController } from './attention.controller';
import { AttentionService } from './attention.service';

/** "Needs you": the coordinator's list (GET /attention and the board page). */
@Module({
  imports: [AppearancesModule, OutcomesModule],
  controllers: [AttentionController],
  providers: [AttentionService],
  exports: [AttentionService],
})
export class AttentionModule {}
