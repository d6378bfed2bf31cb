import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Appearance } from './appearance.entity';

/** A recruiter assigned to an appearance. */
@Entity('appearance_recruiters')
@Index('ix_appearance_recruiters_user', ['userId', 'appearanceId'])
export class AppearanceRecruiter {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'appearance_id' })
  appearanceId: string;

  @PrimaryColumn({ type: 'varchar', length: 36, name: 'user_id' })
  userId: string;

  @ManyToOne(() => Appearance, (a) => a.recruiters, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appearance_id' })
  appearance?: Appearance;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
