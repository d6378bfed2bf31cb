import { Injectable } from '@nestjs/common';
import { AppearanceReader } from '../appearances/appearance-reader';
import { Clock } from '../common/clock';
import { DomainError, NotFoundError } from '../common/errors';
import { humanLocal } from '../common/time';
import { validateDto } from '../common/validation';
import { AppliedMitigationsService } from '../outcomes/applied-mitigations.service';
import { PutOutcomeDto } from '../outcomes/dto/outcome.dto';
import { OutcomesService } from '../outcomes/outcomes.service';
import { RISK_MITIGATIONS } from '../risk/mitigations';
import { DebriefErrors, DebriefFormValues, dtoFromValues, errorsFrom, formContext, NO_ERRORS, privacyMark, valuesFromBody, valuesFromOutcome } from './debrief-form';
import { PageLinkMinter } from './page-link-minter';
import type { Visitor } from './page-session';
import { PageViews } from './page-views';

export type SubmitResult = { ok: true } | { ok: false; status: number; html: string };

/**
 * The debrief form (src/pages/views/debrief.hbs) over OutcomesService: the same rules as
 * PUT /appearances/:id/outcome. A refused debrief keeps everything typed, with each reason next to
 * its field and the span the privacy guard refused marked in the notes.
 */
@Injectable()
export class DebriefPages {
  constructor(
    private readonly views: PageViews,
    private readonly reader: AppearanceReader,
    private readonly outcomes: OutcomesService,
    private readonly applied: AppliedMitigationsService,
    private readonly links: PageLinkMinter,
    private readonly clock: Clock,
  ) {}

  filed(appearanceId: string): Promise<boolean> {
    return this.outcomes.hasOutcome(appearanceId);
  }

  async form(appearanceId: string, visitor: Visitor, saved: boolean): Promise<string> {
    const a = await this.reader.one(appearanceId);
    const existing = await this.outcomes.get(appearanceId, visitor.user).catch((e) => {
      if (e instanceof NotFoundError && e.details?.entity === 'Outcome of appearance') return null;
      throw e;
    });
    const values = existing ? valuesFromOutcome(existing) : { ...valuesFromOutcome({ result: '' as never, notes: '', mitigationsUsed: [] }), mitigationsUsed: await this.applied.list(appearanceId) };
    let locked: string | null = null;
    if (Date.parse(a.endsAt) > this.clock.now() && a.status !== 'completed') locked = `The debrief can be filed once the appearance has ended (${humanLocal(Date.parse(a.endsAt), a.timeZone)}).`;
    else if (existing && !existing.editable)
      locked = `This debrief was filed and could be changed until ${humanLocal(Date.parse(existing.editableUntil), a.timeZone)}; ask a coordinator if something is wrong.`;
    return this.render(a, visitor, values, NO_ERRORS, null, { saved, locked, editableUntil: existing?.editable ? humanLocal(Date.parse(existing.editableUntil), a.timeZone) : null });
  }

  async submit(appearanceId: string, visitor: Visitor, body: unknown): Promise<SubmitResult> {
    const a = await this.reader.one(appearanceId);
    const values = valuesFromBody(body);
    try {
      const dto = validateDto(PutOutcomeDto, dtoFromValues(values));
      await this.outcomes.put(appearanceId, dto, visitor.user);
      return { ok: true };
    } catch (e) {
      // 400 (a field), 422 (privacy guard, not ended, locked): the form again, as typed. 403/404 are pages of their own.
      if (!(e instanceof DomainError) || (e.status !== 400 && e.status !== 422)) throw e;
      const html = this.render(a, visitor, values, errorsFrom(e), e.code === 'PERSONAL_DATA' ? privacyMark(e, values.notes) : null, { saved: false, locked: null, editableUntil: null });
      return { ok: false, status: e.status, html };
    }
  }

  private render(
    a: Awaited<ReturnType<AppearanceReader['one']>>,
    visitor: Visitor,
    values: DebriefFormValues,
    errors: DebriefErrors,
    privacy: ReturnType<typeof privacyMark>,
    state: { saved: boolean; locked: string | null; editableUntil: string | null },
  ): string {
    return this.views.render('debrief', {
      title: `Debrief: ${a.title}`,
      visitor,
      appearance: { id: a.id, title: a.title, institutionName: a.institution.name, localStart: humanLocal(Date.parse(a.startsAt), a.timeZone) },
      ...state,
      errors,
      privacy,
      form: formContext(values, errors, RISK_MITIGATIONS),
      appearanceUrl: this.links.forVisitor(visitor, 'appearance', a.id),
    });
  }
}
