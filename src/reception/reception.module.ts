import { Global, Module } from '@nestjs/common';
import { InstitutionReception } from '../institutions/institution-reception';
import { RiskModule } from '../risk/risk.module';
import { ReceptionController } from './reception.controller';
import { ReceptionService } from './reception.service';
import { LedgerReception } from './reception-summary';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReceptionEntry } from './reception-entry.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ReceptionEntry]), RiskModule],
  controllers: [ReceptionController],
  providers: [ReceptionService],
  exports: [ReceptionService],
})
export class ReceptionModule {}

/**
 * Provides InstitutionReception (what GET /institutions and the institution export show of the
 * ledger) to the institutions module, which cannot import this one (reception depends on it).
 */
@Global()
@Module({ providers: [{ provide: InstitutionReception, useClass: LedgerReception }], exports: [InstitutionReception] })
export class InstitutionReceptionModule {}
