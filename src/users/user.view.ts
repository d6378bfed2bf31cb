import { iso } from '../common/time';
import { UserView } from './dto/user.dto';
import { User } from './user.entity';

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    officeId: u.officeId,
    active: u.active,
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
  };
}
