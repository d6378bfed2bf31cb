import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainEvents } from '../common/domain-events';
import type { InstitutionStateChangedEvent } from '../institutions/institution-events';
import { Incident } from './incident.entity';

/**
 * Incidents keep a copy of their institution's state (the regional wave reads it by state): when an
 * institution moves, its incidents move with it, in the same transaction, before the institutions
 * module re-assesses the risk of both states.
 */
@Injectable()
export class IncidentStateListener {
  @OnEvent(DomainEvents.InstitutionStateChanged, { promisify: true, suppressErrors: false })
  async onInstitutionMoved(e: InstitutionStateChangedEvent): Promise<void> {
    await e.manager.createQueryBuilder().update(Incident).set({ state: e.to }).where('institution_id = :id', { id: e.institutionId }).execute();
  }
}
