import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager, In } from 'typeorm';
import { DomainEvents, IncidentsImportedEvent } from '../common/domain-events';
import { CreatedRows } from '../imports/created-rows';
import { Incident } from './incident.entity';

/**
 * The incidents an import created, announced as the API announces one (webhooks' incident.recorded),
 * in the commit transaction: nothing on a dry run or a refused import (this never runs then), rows
 * that matched an earlier import not again. Read back in chunks by id, so a large file's facts are
 * not held in memory meanwhile.
 */
export async function announceImported(m: EntityManager, events: EventEmitter2, created: CreatedRows, actorId: string, at: number): Promise<void> {
  for (const ids of created.idChunks(500)) {
    const rows = await m.getRepository(Incident).find({
      where: { id: In(ids) },
      select: { id: true, institutionId: true, appearanceId: true, kind: true, severity: true, occurredAt: true, target: true, impact: true, source: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const event: IncidentsImportedEvent = { manager: m, actorId, at, incidents: ids.flatMap((id) => byId.get(id) ?? []) };
    await events.emitAsync(DomainEvents.IncidentsImported, event);
  }
}
