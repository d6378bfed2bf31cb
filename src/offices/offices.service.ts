import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { iso } from '../common/time';
import { CreateOfficeDto, OfficeView, UpdateOfficeDto } from './dto/office.dto';
import { Office } from './office.entity';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { DatabaseService } from '../database/database.service';

export function toOfficeView(o: Office): OfficeView {
  return { id: o.id, name: o.name, region: o.region, timeZone: o.timeZone, createdAt: iso(o.createdAt), updatedAt: iso(o.updatedAt) };
}

@Injectable()
export class OfficesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<OfficeView[]> {
    const rows = await this.db.read((m) => m.getRepository(Office).find({ order: { name: 'ASC' } }));
    return rows.map(toOfficeView);
  }

  async get(id: string): Promise<Office> {
    const o = await this.db.read((m) => m.getRepository(Office).findOneBy({ id }));
    if (!o) throw new NotFoundError('Office', id);
    return o;
  }

  async create(dto: CreateOfficeDto, actor: AuthUser): Promise<OfficeView> {
    assertNoPersonalData({ name: dto.name, region: dto.region }, { region: 'place' });
    return this.db.write(async (m) => {
      await this.assertNameFree(m.getRepository(Office), dto.name);
      const now = this.clock.now();
      const o = m.create(Office, { ...dto, region: dto.region ?? '', createdAt: now, updatedAt: now });
      await m.save(o);
      await this.audit.record(m, { actorId: actor.id, action: 'create', entityType: 'office', entityId: o.id, after: toOfficeView(o) });
      return toOfficeView(o);
    });
  }

  async update(id: string, dto: UpdateOfficeDto, actor: AuthUser): Promise<OfficeView> {
    assertNoPersonalData({ name: dto.name, region: dto.region }, { region: 'place' });
    return this.db.write(async (m) => {
      const o = await m.getRepository(Office).findOneBy({ id });
      if (!o) throw new NotFoundError('Office', id);
      if (dto.name && dto.name !== o.name) await this.assertNameFree(m.getRepository(Office), dto.name);
      const before = toOfficeView(o);
      Object.assign(o, dto, { updatedAt: this.clock.now() });
      await m.save(o);
      await this.audit.record(m, { actorId: actor.id, action: 'update', entityType: 'office', entityId: o.id, before, after: toOfficeView(o) });
      return toOfficeView(o);
    });
  }

  private async assertNameFree(repo: Repository<Office>, name: string): Promise<void> {
    const existing = await repo.findOneBy({ name });
    if (existing) {
      throw new ConflictError('DUPLICATE_OFFICE', `An office named "${name}" already exists`, { existingId: existing.id }, { name: 'already exists' });
    }
  }
}
